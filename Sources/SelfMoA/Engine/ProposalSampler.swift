import ModelBackend

/// The result of sampling one proposal.
enum ProposalOutcome: Sendable {
    case success(Proposal)
    case failure(ProposalFailure)

    var index: Int {
        switch self {
        case .success(let proposal): return proposal.index
        case .failure(let failure): return failure.index
        }
    }
}

/// Samples proposals: one request with `n` samples per proposer model when the backend prefills
/// once (`multipleSamples`), otherwise one concurrent request per proposal. Proposal `k` has
/// seed `base + k` (within an `n` request the backend adds the sample index to the request's
/// seed). With `greedyProposal`, proposal 0 is a request of its own at temperature 0. Never
/// throws: failures are returned as outcomes, each reported as it finishes.
struct ProposalSampler: Sendable {
    enum Source: Sendable {
        case chat([ChatMessage])
        case infill(prefix: String, suffix: String, extra: String)
    }

    /// One backend call covering some proposals.
    private struct Call: Sendable {
        var indices: [Int]
        var model: String?
        var seed: UInt32
        var temperature: Double
    }

    let model: any LanguageModel
    let source: Source
    let configuration: SelfMoAConfiguration
    let stop: [String]
    let baseSeed: UInt32
    let batched: Bool

    func sample(_ indices: Range<Int>, reporter: ProgressReporter) async -> [ProposalOutcome] {
        let calls = plan(indices)
        return await withTaskGroup(of: [ProposalOutcome].self) { group in
            for call in calls {
                group.addTask { await perform(call) }
            }
            var outcomes: [ProposalOutcome] = []
            for await finished in group {
                for outcome in finished.sorted(by: { $0.index < $1.index }) {
                    await reporter.proposalFinished(outcome)
                }
                outcomes += finished
            }
            return outcomes.sorted { $0.index < $1.index }
        }
    }

    private func plan(_ indices: Range<Int>) -> [Call] {
        let seed = { (index: Int) in baseSeed &+ UInt32(truncatingIfNeeded: index) }
        let sampled = configuration.proposerTemperature
        var calls: [Call] = []
        var rest = indices[...]
        if configuration.greedyProposal, indices.first == 0 {
            calls.append(Call(indices: [0], model: configuration.proposerModel(forProposal: 0), seed: seed(0), temperature: 0))
            rest = rest.dropFirst()
        }
        guard batched else {
            return calls + rest.map {
                Call(indices: [$0], model: configuration.proposerModel(forProposal: $0), seed: seed($0), temperature: sampled)
            }
        }
        let greedyCalls = calls.count
        for index in rest {
            let model = configuration.proposerModel(forProposal: index)
            if let existing = calls[greedyCalls...].firstIndex(where: { $0.model == model }) {
                calls[existing].indices.append(index)
            } else {
                calls.append(Call(indices: [index], model: model, seed: seed(index), temperature: sampled))
            }
        }
        return calls
    }

    private func perform(_ call: Call) async -> [ProposalOutcome] {
        let options = SamplingOptions(
            temperature: call.temperature, seed: call.seed,
            maxTokens: configuration.proposalMaxTokens, stop: stop, model: call.model
        )
        let n = call.indices.count
        let completions: [Completion]
        do {
            switch source {
            case .chat(let messages):
                completions = try await model.complete(ChatRequest(messages: messages, options: options, n: n))
            case .infill(let prefix, let suffix, let extra):
                completions = try await model.infill(
                    InfillRequest(prefix: prefix, suffix: suffix, extraContext: extra, options: options, n: n)
                )
            }
        } catch {
            return call.indices.map { .failure(ProposalFailure(index: $0, error: error)) }
        }
        return call.indices.enumerated().map { sample, index in
            guard let completion = completions.first(where: { $0.index == sample }) else {
                return .failure(ProposalFailure(index: index, error: ModelBackendError(
                    .badResponse, "The model server returned no sample \(sample) of \(n) requested."
                )))
            }
            var text = completion.text
            var infill = false
            if case .infill(_, let suffix, _) = source {
                text = InfillCleanup.clean(text, suffix: suffix)
                infill = true
            }
            guard !text.strippingWhitespace().isEmpty else {
                return .failure(ProposalFailure(index: index, error: ModelBackendError(
                    .badResponse, "The model returned an empty proposal (finish reason: \(completion.finishReason ?? "none"))."
                )))
            }
            return .success(Proposal(
                index: index, text: text, seed: call.seed &+ UInt32(truncatingIfNeeded: sample), model: call.model,
                infill: infill, finishReason: completion.finishReason, usage: completion.usage
            ))
        }
    }
}
