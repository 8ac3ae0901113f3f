import ModelBackend

/// One run after planning: samples rounds of proposals in a child task and aggregates each
/// round's window as soon as it arrives (so Seq step s overlaps sampling of later rounds).
struct Run: Sendable {
    let model: any LanguageModel
    let configuration: SelfMoAConfiguration
    let task: SelfMoATask
    let prepared: RunPlanner.Prepared
    let capabilities: ModelCapabilities
    let reporter: ProgressReporter
    let onAnswer: @Sendable (AnswerEvent) -> Void
    let start: ContinuousClock.Instant
    /// Seed of proposal 0: the configured one, or drawn once per run.
    let baseSeed: UInt32
    /// Judges proposals before aggregation and the synthesis after it.
    let checker: (any CandidateChecker)?

    private var plan: SelfMoAPlan { prepared.plan }

    private var sampler: ProposalSampler {
        let source: ProposalSampler.Source
        if let infill = prepared.infill {
            source = .infill(prefix: infill.prefix, suffix: infill.suffix, extra: infill.extra)
        } else {
            source = .chat(prepared.messages)
        }
        let onAnswer = onAnswer
        var draft: (@Sendable (String) -> Void)?
        if configuration.streamDraft {
            draft = { text in onAnswer(.draft(text)) }
        }
        return ProposalSampler(
            model: model, source: source, configuration: configuration, stop: task.stop,
            baseSeed: baseSeed,
            batched: capabilities.multipleSamples,
            draft: draft
        )
    }

    private var answerOptions: SamplingOptions {
        SamplingOptions(
            temperature: configuration.aggregatorTemperature, maxTokens: configuration.answerMaxTokens,
            stop: task.stop, model: configuration.aggregatorModel
        )
    }

    // MARK: Self-MoA and Self-MoA-Seq

    private struct Round: Sendable {
        var outcomes: [ProposalOutcome]
        var finished: ContinuousClock.Instant
    }

    private enum StepOutcome {
        case synthesised(String, Usage, cutByLimit: Bool)
        case failed(ModelBackendError)
    }

    /// `escalate` applies: a greedy proposal 0, a checker to judge it, and one round to defer.
    private var escalates: Bool {
        configuration.escalate && configuration.greedyProposal && checker != nil
            && plan.rounds.count == 1 && plan.proposals > 1
    }

    func aggregated() async throws -> SelfMoAResult {
        let sampler = sampler
        let reporter = reporter
        let samplingStart = ContinuousClock.now
        // Escalating: the greedy proposal is sampled and checked alone first; when it passes
        // every check it answers, and the others are sampled only when it does not.
        var deferred: (outcome: ProposalOutcome, check: CandidateCheck?)?
        if escalates, let checker {
            let outcomes = await sampler.sample(0..<1, reporter: reporter)
            try Task.checkCancellation()
            guard let outcome = outcomes.first else { throw ModelBackendError(.badResponse, "The model produced no proposals.") }
            var check: CandidateCheck?
            if case .success(let proposal) = outcome {
                let verdict = await checker.check(proposal.text, cutOff: proposal.cut)
                try Task.checkCancellation()
                if verdict.failure == nil { return passedAlone(proposal, check: verdict, samplingStart: samplingStart) }
                check = verdict
            }
            deferred = (outcome, check)
        }
        let first = deferred
        let escalated = first != nil
        let (rounds, delivery) = AsyncStream.makeStream(of: Round.self)
        let planned = plan.rounds

        return try await withThrowingTaskGroup(of: Void.self, returning: SelfMoAResult.self) { group in
            group.addTask {
                for (number, range) in planned.enumerated() {
                    if Task.isCancelled { break }
                    var outcomes: [ProposalOutcome] = []
                    var range = range
                    if number == 0, let first {
                        outcomes.append(first.outcome)
                        range = range.dropFirst()
                    }
                    outcomes += await sampler.sample(range, reporter: reporter)
                    delivery.yield(Round(outcomes: outcomes, finished: .now))
                }
                delivery.finish()
            }

            var windows = SeqWindows(reserved: plan.shape.reserved)
            var pool = CandidatePool()
            var agreed: Proposal?
            var proposals: [Proposal] = []
            var failures: [ProposalFailure] = []
            var lastProposal = samplingStart
            var received = 0
            var steps = 0
            var aggregationUsage = Usage()
            var aggregationTime = Duration.zero
            var streamed = false
            // The last aggregation step stopped at the answer's token limit.
            var synthesisCut = false
            var aggregationFailure: ModelBackendError?

            receiving: for await round in rounds {
                try Task.checkCancellation()
                received += 1
                lastProposal = round.finished
                var arrived: [Proposal] = []
                for outcome in round.outcomes {
                    switch outcome {
                    case .success(let proposal): arrived.append(proposal)
                    case .failure(let failure): failures.append(failure)
                    }
                }
                proposals += arrived
                var known: [Int: CandidateCheck] = [:]
                if received == 1, let check = first?.check { known[0] = check }
                let checks = await check(arrived, known: known)
                try Task.checkCancellation()
                windows.add(pool.add(arrived, checks: checks))
                if configuration.agreement, planned.count == 1, let majority = pool.majority {
                    agreed = majority
                    break receiving
                }
                // Answering with the central proposal: collect every round, aggregate none.
                if configuration.answer == .central { continue }
                guard let window = windows.takeWindow() else { continue }

                let step = steps + 1
                let live = received == planned.count
                let messages = AggregationPrompt.messages(
                    prompt: prepared.messages, candidates: window, answerFormat: task.answerFormat,
                    prefixReuse: configuration.prefixReuse, style: configuration.aggregation
                )
                await reporter.aggregationStarted(step: step)
                let stepStart = ContinuousClock.now
                let outcome = try await aggregate(step: step, messages: messages, live: live)
                aggregationTime += ContinuousClock.now - stepStart
                switch outcome {
                case .synthesised(let text, let usage, let cutByLimit):
                    windows.synthesised(text)
                    synthesisCut = cutByLimit
                    steps = step
                    aggregationUsage = aggregationUsage + usage
                    streamed = live
                    await reporter.aggregationDone(step: step)
                case .failed(let error):
                    aggregationFailure = error
                    group.cancelAll()
                    break receiving
                }
            }
            try Task.checkCancellation()

            var synthesis: AnswerPolicy.Synthesis?
            var synthesisCheck: CandidateCheck?
            if let text = windows.synthesis {
                synthesis = AnswerPolicy.Synthesis(text: text, cut: synthesisCut)
                // The synthesis is checked only when it could answer and a proposal could stand in.
                if agreed == nil, configuration.answer != .central, let checker, pool.best != nil {
                    let check = await checker.check(text, cutOff: synthesisCut)
                    try Task.checkCancellation()
                    synthesisCheck = check
                    synthesis?.level = check.level
                }
            }
            // After escalating, a greedy answer no sample beat on the checks still answers.
            let preferred = escalated ? pool.contenders.first(where: { $0.index == 0 }) : nil
            guard let decision = AnswerPolicy(answer: configuration.answer).decide(
                preferred: preferred, agreed: agreed, pool: pool, synthesis: synthesis, proposals: proposals)
            else {
                throw failures.min(by: { $0.index < $1.index })?.error
                    ?? ModelBackendError(.badResponse, "The model produced no proposals.")
            }
            let chosenLevel = pool.proposals.first(where: { $0.text == decision.text }).map { pool.level(of: $0) }
            let (text, cut, continuation) = await continued(decision, level: chosenLevel)
            let synthesisRejected = decision.synthesisRejected
            if synthesisRejected, streamed, aggregationFailure == nil {
                onAnswer(.reset)
                onAnswer(.delta(text))
            } else if !streamed || aggregationFailure != nil {
                onAnswer(.delta(text))
            }

            let cost = SelfMoACost(
                forwardPasses: proposals.count + steps + (continuation == nil ? 0 : 1),
                proposalUsage: proposals.reduce(continuation ?? Usage()) { $0 + $1.usage },
                aggregationUsage: aggregationUsage,
                proposalSeconds: (lastProposal - samplingStart).seconds,
                aggregationSeconds: aggregationTime.seconds,
                totalSeconds: (ContinuousClock.now - start).seconds
            )
            return SelfMoAResult(
                text: text, aggregated: decision.aggregated, plan: plan, aggregationSteps: steps,
                proposals: proposals.sorted { $0.index < $1.index },
                failedProposals: failures.sorted { $0.index < $1.index },
                aggregationFailure: aggregationFailure, cost: cost,
                selection: pool.selection(
                    decidedByAgreement: agreed != nil, synthesisRejected: synthesisRejected, synthesisCheck: synthesisCheck,
                    decidedByCentrality: decision.decidedByCentrality, escalated: escalated
                ),
                answerCut: cut
            )
        }
    }

    /// The decided answer, gone on with where it is a proposal that stopped at its cap
    /// (`continuationMaxTokens`): its text, whether it still stops at a cap, and the
    /// continuation's usage when one was asked for. A failed continuation leaves the answer as
    /// it was. A fill-in-the-middle sample goes on as one: the same request, its text added to
    /// the text before the cursor, cleaned again as a whole (`InfillCleanup`). With a checker,
    /// the continued answer replaces the chosen one only if it checks at least as well as that
    /// one did (`level`): going on never makes the answer worse.
    private func continued(_ decision: AnswerPolicy.Decision, level: Int?) async -> (String, Bool, Usage?) {
        guard decision.cut, !decision.aggregated, configuration.continuationMaxTokens > 0, capabilities.infill
        else { return (decision.text, decision.cut, nil) }
        if let infill = prepared.infill {
            let request = InfillRequest(
                prefix: infill.prefix + decision.text, suffix: infill.suffix, extraContext: infill.extra,
                options: SamplingOptions(temperature: 0, maxTokens: configuration.continuationMaxTokens, stop: task.stop))
            guard let more = try? await model.infill(request).first else { return (decision.text, decision.cut, nil) }
            let (text, finishReason) = InfillCleanup.cleaned(
                decision.text + more.text, finishReason: more.finishReason, prefix: infill.prefix, suffix: infill.suffix)
            return await kept(decision, level: level, continued: text, cut: finishReason == "length", usage: more.usage)
        }
        let request = ChatRequest(
            messages: prepared.messages + [.assistant(decision.text)],
            options: SamplingOptions(temperature: 0, maxTokens: configuration.continuationMaxTokens, stop: task.stop))
        guard let more = try? await model.complete(request).first else { return (decision.text, decision.cut, nil) }
        return await kept(
            decision, level: level, continued: Self.joined(decision.text, more.text), cut: more.finishReason == "length",
            usage: more.usage)
    }

    /// The continued answer, unless the checker ranks it below the chosen one's `level`: then
    /// the chosen one as it was. The continuation's usage counts either way.
    private func kept(
        _ decision: AnswerPolicy.Decision, level: Int?, continued text: String, cut: Bool, usage: Usage
    ) async -> (String, Bool, Usage?) {
        if let checker, let level, await checker.check(text, cutOff: cut).level < level {
            return (decision.text, decision.cut, usage)
        }
        return (text, cut, usage)
    }

    /// The answer after its continuation: llama.cpp's server returns the whole message (the
    /// text it was given, then what it added), other servers only what was added.
    static func joined(_ text: String, _ continuation: String) -> String {
        var given = Substring(text)
        while let last = given.last, last.isWhitespace { given = given.dropLast() }
        return continuation.hasPrefix(given) && !given.isEmpty ? continuation : text + continuation
    }

    /// The greedy proposal passed every check on its own: it answers, and nothing else is sampled.
    private func passedAlone(_ proposal: Proposal, check: CandidateCheck, samplingStart: ContinuousClock.Instant) -> SelfMoAResult {
        onAnswer(.delta(proposal.text))
        return SelfMoAResult(
            text: proposal.text, aggregated: false, plan: plan, aggregationSteps: 0, proposals: [proposal],
            failedProposals: [], aggregationFailure: nil,
            cost: SelfMoACost(
                forwardPasses: 1, proposalUsage: proposal.usage,
                proposalSeconds: (ContinuousClock.now - samplingStart).seconds,
                totalSeconds: (ContinuousClock.now - start).seconds
            ),
            selection: CandidateSelection(
                entries: [CandidateSelection.Entry(index: proposal.index, check: check, kept: true)],
                largestAgreement: 1, passedAlone: true
            ),
            answerCut: proposal.cut
        )
    }

    /// The checker's verdicts on `proposals`, checked concurrently (those in `known` are not
    /// checked again); empty without a checker.
    private func check(_ proposals: [Proposal], known: [Int: CandidateCheck] = [:]) async -> [Int: CandidateCheck] {
        guard let checker, !proposals.isEmpty else { return [:] }
        return await withTaskGroup(of: (Int, CandidateCheck).self) { group in
            for proposal in proposals {
                if let check = known[proposal.index] {
                    group.addTask { (proposal.index, check) }
                    continue
                }
                group.addTask { (proposal.index, await checker.check(proposal.text, cutOff: proposal.finishReason == "length")) }
            }
            var checks: [Int: CandidateCheck] = [:]
            for await (index, check) in group { checks[index] = check }
            return checks
        }
    }

    /// One aggregation step: streamed, retried once. Throws only `CancellationError`.
    private func aggregate(step: Int, messages: [ChatMessage], live: Bool) async throws -> StepOutcome {
        let request = ChatRequest(messages: messages, options: answerOptions)
        var lastError = ModelBackendError(.badResponse, "Aggregation did not run.")
        for attempt in 1...2 {
            var emitted = false
            do {
                let (text, usage, finishReason) = try await streamOnce(request, live: live, emitted: &emitted)
                return .synthesised(text, usage, cutByLimit: finishReason == "length")
            } catch let error as ModelBackendError {
                if Task.isCancelled { throw CancellationError() }
                if emitted { onAnswer(.reset) }
                lastError = error
                await reporter.aggregationFailed(step: step, error: error, retrying: attempt == 1)
            }
        }
        return .failed(lastError)
    }

    /// Streams one completion; forwards deltas when `live`. Throws `ModelBackendError` or
    /// `CancellationError`.
    private func streamOnce(
        _ request: ChatRequest, live: Bool, emitted: inout Bool
    ) async throws -> (String, Usage, finishReason: String?) {
        var text = ""
        var usage = Usage()
        var finishReason: String?
        do {
            for try await event in model.stream(request) {
                switch event {
                case .delta(let delta):
                    text += delta
                    if live, !delta.isEmpty {
                        onAnswer(.delta(delta))
                        emitted = true
                    }
                case .finished(let reason, let final):
                    usage = final
                    finishReason = reason
                }
            }
        } catch let error as ModelBackendError {
            if Task.isCancelled { throw CancellationError() }
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            if Task.isCancelled { throw CancellationError() }
            throw ModelBackendError(.badResponse, "The answer stream failed: \(error)")
        }
        try Task.checkCancellation()
        guard !text.strippingWhitespace().isEmpty else {
            throw ModelBackendError(.badResponse, "The model returned an empty answer.")
        }
        return (text, usage, finishReason)
    }

    // MARK: Single

    func single() async throws -> SelfMoAResult {
        let callStart = ContinuousClock.now
        let text: String
        let usage: Usage
        var finishReason: String?
        if let infill = prepared.infill {
            let completions = try await backendCall { () async throws(ModelBackendError) in
                try await model.infill(InfillRequest(
                    prefix: infill.prefix, suffix: infill.suffix, extraContext: infill.extra, options: answerOptions
                ))
            }
            guard let first = completions.first else {
                throw ModelBackendError(.badResponse, "The model server returned no sample.")
            }
            (text, finishReason) = InfillCleanup.cleaned(
                first.text, finishReason: first.finishReason, prefix: infill.prefix, suffix: infill.suffix)
            usage = first.usage
            onAnswer(.delta(text))
        } else {
            var emitted = false
            (text, usage, finishReason) = try await streamOnce(
                ChatRequest(messages: prepared.messages, options: answerOptions), live: true, emitted: &emitted
            )
        }
        let seconds = (ContinuousClock.now - callStart).seconds
        let proposal = Proposal(
            index: 0, text: text, model: configuration.aggregatorModel, infill: prepared.infill != nil,
            finishReason: finishReason, usage: usage
        )
        await reporter.proposalFinished(.success(proposal))
        return SelfMoAResult(
            text: text, aggregated: false, plan: plan, aggregationSteps: 0, proposals: [proposal],
            failedProposals: [], aggregationFailure: nil,
            cost: SelfMoACost(
                forwardPasses: 1, proposalUsage: usage, proposalSeconds: seconds,
                totalSeconds: (ContinuousClock.now - start).seconds
            ),
            answerCut: finishReason == "length"
        )
    }
}

extension Duration {
    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
