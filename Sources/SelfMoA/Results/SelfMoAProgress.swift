import ModelBackend

/// A step of a run, reported through the progress callback (serially, in the order it happened).
public struct SelfMoAProgress: Sendable, Hashable {
    /// What happened.
    public enum Event: Sendable, Hashable {
        /// The plan is fixed: mode, proposals to sample and aggregation steps expected.
        case planned(mode: SelfMoAMode, proposals: Int, steps: Int)
        /// A proposal arrived; `completed` of `total` proposals have finished (failures included).
        case proposalDone(index: Int, completed: Int, total: Int)
        /// A proposal failed and is dropped.
        case proposalFailed(index: Int, completed: Int, total: Int, error: ModelBackendError)
        /// Aggregation step `step` of `steps` (1-based) started.
        case aggregationStarted(step: Int, steps: Int)
        /// An aggregation attempt failed; `retrying` tells whether it is tried again.
        case aggregationFailed(step: Int, steps: Int, error: ModelBackendError, retrying: Bool)
        /// Aggregation step `step` of `steps` finished.
        case aggregationDone(step: Int, steps: Int)
        /// The run has its answer.
        case finished(aggregated: Bool)
        /// A check the action runs after the run (review's line search) finished `completed` of
        /// its `total` steps; `label` names it. The fraction stays where the run left it.
        case checked(label: String, completed: Int, total: Int)
    }

    public var event: Event
    /// Share of the planned forward passes finished, 0…1 (1 once finished).
    public var fraction: Double

    public init(event: Event, fraction: Double) {
        self.event = event
        self.fraction = fraction
    }

    /// A short line for a progress bar ("proposal 3/6 done").
    public var message: String {
        switch event {
        case .planned(let mode, let proposals, let steps):
            switch mode {
            case .single: return "single answer"
            case .seq: return "Self-MoA-Seq: \(proposals) proposals, \(steps) aggregation steps"
            default: return "Self-MoA: \(proposals) proposals"
            }
        case .proposalDone(_, let completed, let total): return "proposal \(completed)/\(total) done"
        case .proposalFailed(_, let completed, let total, _): return "proposal \(completed)/\(total) failed"
        case .aggregationStarted(let step, let steps): return "aggregation step \(step)/\(steps) started"
        case .aggregationFailed(let step, let steps, _, let retrying):
            return "aggregation step \(step)/\(steps) failed" + (retrying ? ", retrying" : "")
        case .aggregationDone(let step, let steps): return "aggregation step \(step)/\(steps) done"
        case .finished(let aggregated): return aggregated ? "done" : "done (not aggregated)"
        case .checked(let label, let completed, let total): return "\(label) \(completed)/\(total)"
        }
    }
}
