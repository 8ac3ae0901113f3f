import ModelBackend

/// Serialises progress events from the sampling and aggregation tasks and computes the fraction:
/// finished forward passes (proposals, failed ones included, and aggregation steps) over planned.
actor ProgressReporter {
    private let handler: @Sendable (SelfMoAProgress) -> Void
    private let proposals: Int
    private let steps: Int
    private var finishedProposals = 0
    private var finishedSteps = 0

    init(proposals: Int, steps: Int, handler: @escaping @Sendable (SelfMoAProgress) -> Void) {
        self.handler = handler
        self.proposals = proposals
        self.steps = steps
    }

    private var fraction: Double {
        let planned = proposals + steps
        guard planned > 0 else { return 0 }
        return min(Double(finishedProposals + finishedSteps) / Double(planned), 1)
    }

    private func send(_ event: SelfMoAProgress.Event, fraction: Double? = nil) {
        handler(SelfMoAProgress(event: event, fraction: fraction ?? self.fraction))
    }

    func planned(mode: SelfMoAMode) {
        send(.planned(mode: mode, proposals: proposals, steps: steps))
    }

    func proposalFinished(_ outcome: ProposalOutcome) {
        finishedProposals += 1
        switch outcome {
        case .success(let proposal):
            send(.proposalDone(index: proposal.index, completed: finishedProposals, total: proposals))
        case .failure(let failure):
            send(.proposalFailed(index: failure.index, completed: finishedProposals, total: proposals, error: failure.error))
        }
    }

    func aggregationStarted(step: Int) {
        send(.aggregationStarted(step: step, steps: steps))
    }

    func aggregationFailed(step: Int, error: ModelBackendError, retrying: Bool) {
        send(.aggregationFailed(step: step, steps: steps, error: error, retrying: retrying))
    }

    func aggregationDone(step: Int) {
        finishedSteps += 1
        send(.aggregationDone(step: step, steps: steps))
    }

    func finished(aggregated: Bool) {
        send(.finished(aggregated: aggregated), fraction: 1)
    }
}
