/// How a run aggregates.
///
/// In a configuration, `auto` lets the token budget choose; a plan or a result always names the
/// mode that actually ran (never `auto`).
public enum SelfMoAMode: String, Sendable, Hashable, Codable, CaseIterable {
    /// One-shot Self-MoA when every proposal fits the aggregator's context, Self-MoA-Seq otherwise.
    case auto
    /// N proposals, one aggregation over all of them (N + 1 forward passes).
    case selfMoA = "selfmoa"
    /// Self-MoA-Seq: a sliding window of the current synthesis (repeated) and new proposals.
    case seq
    /// One greedy answer, no proposals, no aggregation (the baseline).
    case single
}
