import ModelBackend

/// The outcome of a run: the answer, how it was made, and what it cost.
public struct SelfMoAResult: Sendable, Hashable {
    /// The final answer (synthesis, or the best-effort proposal when not aggregated).
    public var text: String
    /// The answer is a synthesis. `false` when one proposal was left, when aggregation failed
    /// twice and the run fell back, when a majority of the proposals agreed
    /// (`SelfMoAConfiguration.agreement`), when the synthesis failed a check the best proposal
    /// passed, or in `single` mode.
    public var aggregated: Bool
    /// The plan that ran (mode, window, reserved, rounds, budget, trimming).
    public var plan: SelfMoAPlan
    /// Aggregation steps that completed.
    public var aggregationSteps: Int
    /// Proposals that succeeded, in index order.
    public var proposals: [Proposal]
    /// Proposals that failed and were dropped, in index order.
    public var failedProposals: [ProposalFailure]
    /// The aggregation error the run fell back from, if it did.
    public var aggregationFailure: ModelBackendError?
    public var cost: SelfMoACost
    /// What the checker said of the proposals, how far they agreed, and whether agreement or a
    /// failed check on the synthesis chose the answer (empty in `single` mode).
    public var selection: CandidateSelection
    /// The answer stopped at its token cap (`finishReason == "length"`): it may end mid-sentence.
    public var answerCut: Bool

    public init(
        text: String, aggregated: Bool, plan: SelfMoAPlan, aggregationSteps: Int, proposals: [Proposal],
        failedProposals: [ProposalFailure], aggregationFailure: ModelBackendError?, cost: SelfMoACost,
        selection: CandidateSelection = CandidateSelection(), answerCut: Bool = false
    ) {
        self.answerCut = answerCut
        self.text = text
        self.aggregated = aggregated
        self.plan = plan
        self.aggregationSteps = aggregationSteps
        self.proposals = proposals
        self.failedProposals = failedProposals
        self.aggregationFailure = aggregationFailure
        self.cost = cost
        self.selection = selection
    }

    /// The mode that ran.
    public var mode: SelfMoAMode { plan.mode }
    /// Slots per aggregation step.
    public var window: Int { plan.shape.window }
    /// Synthesis copies per Seq step.
    public var reserved: Int { plan.shape.reserved }
}
