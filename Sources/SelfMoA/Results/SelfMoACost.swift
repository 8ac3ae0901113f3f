import ModelBackend

/// What a run cost: forward passes, tokens and wall time per phase.
public struct SelfMoACost: Sendable, Hashable {
    /// Samples that produced output: each proposal (an `n`-sample request counts n) plus each
    /// aggregation call that completed. Paper: N + 1 for Self-MoA.
    public var forwardPasses: Int
    /// Usage summed over the proposals that succeeded.
    public var proposalUsage: Usage
    /// Usage summed over the aggregation calls that completed.
    public var aggregationUsage: Usage
    /// Wall time from the first proposal request until the last proposal arrived (in Seq this
    /// overlaps aggregation).
    public var proposalSeconds: Double
    /// Wall time spent in aggregation calls, retries included.
    public var aggregationSeconds: Double
    /// Wall time of the whole run, planning included.
    public var totalSeconds: Double
    /// The user's wait for the first text: from the start of the run to the first text of the
    /// draft or of the answer handed to the answer callback. `nil` when none was.
    public var firstTextSeconds: Double?

    public init(
        forwardPasses: Int = 0, proposalUsage: Usage = Usage(), aggregationUsage: Usage = Usage(),
        proposalSeconds: Double = 0, aggregationSeconds: Double = 0, totalSeconds: Double = 0,
        firstTextSeconds: Double? = nil
    ) {
        self.firstTextSeconds = firstTextSeconds
        self.forwardPasses = forwardPasses
        self.proposalUsage = proposalUsage
        self.aggregationUsage = aggregationUsage
        self.proposalSeconds = proposalSeconds
        self.aggregationSeconds = aggregationSeconds
        self.totalSeconds = totalSeconds
    }

    /// Prompt tokens of all calls.
    public var promptTokens: Int { proposalUsage.promptTokens + aggregationUsage.promptTokens }
    /// Prompt tokens the backend actually evaluated (the rest came from its cache).
    public var prefilledTokens: Int { proposalUsage.prefilledTokens + aggregationUsage.prefilledTokens }
    /// Generated tokens of all calls.
    public var completionTokens: Int { proposalUsage.completionTokens + aggregationUsage.completionTokens }
}
