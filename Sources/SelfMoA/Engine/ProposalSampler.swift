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
/// seed). With `greedyProposal`, proposal 0 is a request of its own at temperature 0. With a
/// `draft` callback (chat only), proposal 0 is a streaming request of its own whose text goes to
/// the callback as it arrives, and the other calls start once its first token (or its end)
/// arrives: the draft's prompt is prefilled alone, so its text appears as soon as one sample's
/// would, and the rest prefill while it decodes. Never throws: failures are returned as
/// outcomes, each reported as it finishes.
struct ProposalSampler: Sendable {
    enum Source: Sendable {
        case chat([ChatMessage])
        case infill(prefix: String, suffix: String, extra: [InfillFile])
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
    /// Receives proposal 0's text as it is sampled; `nil`: no draft.
    var draft: (@Sendable (String) -> Void)? = nil

    /// Failures of the draft's stream after which its proposal is asked for without streaming:
    /// those a plain request may not share (a server that cannot stream, a first token later
    /// than the stream's limit). A crashed, unreachable or refusing server fails both alike.
    static let retriesUnstreamed: Set<ModelBackendError.Code> = [.badResponse, .unsupported, .invalidRequest, .timeout]

    /// Whether proposal 0 of `indices` is streamed as the draft.
    private func streamsDraft(_ indices: Range<Int>) -> Bool {
        guard draft != nil, indices.first == 0, case .chat = source else { return false }
        return true
    }

    func sample(_ indices: Range<Int>, reporter: ProgressReporter) async -> [ProposalOutcome] {
        var calls = plan(indices)
        return await withTaskGroup(of: [ProposalOutcome].self) { group in
            if streamsDraft(indices), let draft, let first = calls.first {
                calls.removeFirst()
                let (started, signal) = AsyncStream.makeStream(of: Void.self)
                group.addTask {
                    let (outcome, streamed) = await stream(first, onText: draft, started: { signal.finish() })
                    signal.finish()
                    // A backend that cannot stream (or whose stream did not start within the
                    // first-token limit): the draft's proposal is asked for as the others are.
                    if case .failure(let failure) = outcome, !streamed, !Task.isCancelled,
                       Self.retriesUnstreamed.contains(failure.error.code) {
                        return await perform(first)
                    }
                    return [outcome]
                }
                for await _ in started {}
            }
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
        if indices.first == 0, configuration.greedyProposal || streamsDraft(indices) {
            let temperature = configuration.greedyProposal ? 0 : sampled
            calls.append(Call(indices: [0], model: configuration.proposerModel(forProposal: 0), seed: seed(0), temperature: temperature))
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

    private func options(_ call: Call) -> SamplingOptions {
        SamplingOptions(
            temperature: call.temperature, seed: call.seed,
            maxTokens: configuration.proposalMaxTokens, stop: stop, model: call.model
        )
    }

    /// Samples the one proposal of `call` as a stream: text to `onText` as it arrives,
    /// `started` once the first text (or the end) arrives. Also returns whether any text arrived.
    private func stream(
        _ call: Call, onText: @Sendable (String) -> Void, started: () -> Void
    ) async -> (ProposalOutcome, streamed: Bool) {
        guard case .chat(let messages) = source, let index = call.indices.first else {
            return (.failure(ProposalFailure(index: call.indices.first ?? 0, error: ModelBackendError(.badResponse, "Only chat proposals stream."))), false)
        }
        var text = ""
        var usage = Usage()
        var finishReason: String?
        do {
            for try await event in model.stream(ChatRequest(messages: messages, options: options(call))) {
                switch event {
                case .delta(let delta):
                    guard !delta.isEmpty else { continue }
                    if text.isEmpty { started() }
                    text += delta
                    onText(delta)
                case .finished(let reason, let final):
                    usage = final
                    finishReason = reason
                }
            }
        } catch let error as ModelBackendError {
            return (.failure(ProposalFailure(index: index, error: error)), !text.isEmpty)
        } catch is CancellationError {
            return (.failure(ProposalFailure(index: index, error: ModelBackendError(.cancelled, "The request was cancelled."))), !text.isEmpty)
        } catch {
            return (.failure(ProposalFailure(index: index, error: ModelBackendError(.badResponse, "The draft stream failed: \(error)"))), !text.isEmpty)
        }
        guard !text.strippingWhitespace().isEmpty else {
            return (.failure(ProposalFailure(index: index, error: ModelBackendError(
                .badResponse, "The model returned an empty proposal (finish reason: \(finishReason ?? "none"))."
            ))), !text.isEmpty)
        }
        return (.success(Proposal(
            index: index, text: text, seed: call.seed, model: call.model, infill: false,
            finishReason: finishReason, usage: usage
        )), true)
    }

    private func perform(_ call: Call) async -> [ProposalOutcome] {
        let options = options(call)
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
            var finishReason = completion.finishReason
            var infill = false
            if case .infill(let prefix, let suffix, _) = source {
                (text, finishReason) = InfillCleanup.cleaned(text, finishReason: finishReason, prefix: prefix, suffix: suffix)
                infill = true
            }
            guard !text.strippingWhitespace().isEmpty else {
                return .failure(ProposalFailure(index: index, error: ModelBackendError(
                    .badResponse, "The model returned an empty proposal (finish reason: \(completion.finishReason ?? "none"))."
                )))
            }
            return .success(Proposal(
                index: index, text: text, seed: call.seed &+ UInt32(truncatingIfNeeded: sample), model: call.model,
                infill: infill, finishReason: finishReason, usage: completion.usage
            ))
        }
    }
}
