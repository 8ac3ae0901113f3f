import ModelBackend

/// Runs Self-MoA over a `LanguageModel`: N proposals, aggregation (one-shot or Seq), streamed.
///
/// A value: create one per configuration (per action) and call `run` as often as needed, from
/// any task. Cancelling the calling task cancels every backend call of the run at once and
/// `run` throws `CancellationError`.
public struct SelfMoAEngine: Sendable {
    public let model: any LanguageModel
    public let configuration: SelfMoAConfiguration
    /// Judges each proposal before aggregation and the synthesis after it; `nil`: no checks.
    public let checker: (any CandidateChecker)?

    public init(
        model: any LanguageModel, configuration: SelfMoAConfiguration = SelfMoAConfiguration(),
        checker: (any CandidateChecker)? = nil
    ) {
        self.model = model
        self.configuration = configuration
        self.checker = checker
    }

    /// What `run` would do for `task` (mode, window, rounds, budget, trimming), without sampling.
    /// Calls only `capabilities()` and `countTokens`.
    public func plan(_ task: SelfMoATask) async throws -> SelfMoAPlan {
        try configuration.validate()
        try task.validate()
        let capabilities = try await backendCall { () async throws(ModelBackendError) in try await model.capabilities() }
        return try await RunPlanner(model: model, configuration: configuration)
            .prepare(task, capabilities: capabilities).plan
    }

    /// Runs `task` and returns the answer with how it was made and what it cost.
    ///
    /// - Parameters:
    ///   - onProgress: called serially, in order, for each step (see `SelfMoAProgress`).
    ///   - onAnswer: receives the final answer as it is generated (the last aggregation step is
    ///     streamed), and before it the draft with `streamDraft`; see `AnswerEvent`. The time
    ///     of its first text is the cost's `firstTextSeconds`.
    /// - Throws: `SelfMoAError` for an invalid configuration or task, or a context that cannot
    ///   fit; `ModelBackendError` when the backend fails before any proposal exists (capabilities,
    ///   token counting) or when every proposal failed (the first proposal's error);
    ///   `CancellationError` when the calling task is cancelled.
    ///
    /// Checking: with a `checker`, each round's proposals are checked (concurrently) and only
    /// those at the highest check level go on to aggregation; the synthesis is checked too and,
    /// when it falls below the best proposal's level, the run answers with that proposal
    /// (`aggregated` false, `selection.synthesisRejected`). With `configuration.agreement`, a
    /// one-shot run whose kept proposals mostly agree answers with them and does not aggregate.
    /// With `configuration.answer == .central` no run aggregates: the kept proposal most like the
    /// others answers (`selection.decidedByCentrality`).
    ///
    /// Degrading: failed proposals are dropped and aggregation runs over the rest; with one left
    /// it is returned with `aggregated == false`. A failed aggregation call is retried once; if
    /// the retry fails too the run stops sampling and returns the best effort with
    /// `aggregationFailure` set — the latest synthesis of an earlier Seq step (`aggregated`
    /// true), else the best kept proposal (`aggregated` false): the first of the largest group
    /// that agrees, which without agreement is the kept proposal of lowest index.
    public func run(
        _ task: SelfMoATask,
        onProgress: @escaping @Sendable (SelfMoAProgress) -> Void = { _ in },
        onAnswer: @escaping @Sendable (AnswerEvent) -> Void = { _ in }
    ) async throws -> SelfMoAResult {
        let start = ContinuousClock.now
        try configuration.validate()
        try task.validate()
        try Task.checkCancellation()
        let capabilities = try await backendCall { () async throws(ModelBackendError) in try await model.capabilities() }
        let prepared = try await RunPlanner(model: model, configuration: configuration)
            .prepare(task, capabilities: capabilities)
        let plan = prepared.plan
        let reporter = ProgressReporter(
            proposals: plan.mode == .single ? 1 : plan.proposals, steps: plan.steps, handler: onProgress
        )
        await reporter.planned(mode: plan.mode)
        let firstText = FirstTextClock()
        let forward: @Sendable (AnswerEvent) -> Void = { event in
            firstText.note(event)
            onAnswer(event)
        }
        let run = Run(
            model: model, configuration: configuration, task: task, prepared: prepared,
            capabilities: capabilities, reporter: reporter, onAnswer: forward, start: start,
            baseSeed: configuration.seed ?? UInt32.random(in: 0...UInt32.max), checker: checker
        )
        var result = plan.mode == .single ? try await run.single() : try await run.aggregated()
        result.cost.firstTextSeconds = firstText.seconds(since: start)
        await reporter.finished(aggregated: result.aggregated)
        return result
    }
}
