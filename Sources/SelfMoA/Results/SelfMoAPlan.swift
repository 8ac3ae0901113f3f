/// What a run will do, fixed before the first sample: the shape, the sampling rounds, and the
/// budget it was chosen by.
public struct SelfMoAPlan: Sendable, Hashable {
    /// The mode and window that run.
    public var shape: AggregationShape
    /// N proposals to sample (0 for `single`).
    public var proposals: Int
    /// Proposal indices per sampling round; round `s` feeds aggregation step `s + 1`.
    public var rounds: [Range<Int>]
    /// Proposals come from fill-in-the-middle.
    public var infill: Bool
    /// The prompt pieces the budget was computed from (after trimming).
    public var counts: TokenCounts
    /// Tokens the largest aggregation call needs.
    public var requiredTokens: Int
    /// The aggregator's context per slot.
    public var contextTokens: Int
    /// Line ranges of the code context shown to the model (empty without a context).
    public var shownLines: [Range<Int>]
    /// The file context was trimmed to fit.
    public var trimmed: Bool

    public var mode: SelfMoAMode { shape.mode }
    /// Planned aggregation steps.
    public var steps: Int { rounds.count }
    /// Planned forward passes: N + steps, or 1 for `single`.
    public var forwardPasses: Int { shape.mode == .single ? 1 : proposals + steps }
}
