/// How a run chose among its candidates before and after aggregation: what the checker said of
/// each proposal, which it dropped, how far they agreed, and whether agreement or a failed
/// check on the synthesis decided the answer.
public struct CandidateSelection: Sendable, Hashable {
    /// A proposal's verdict and whether it was aggregated.
    public struct Entry: Sendable, Hashable {
        /// The proposal's index.
        public var index: Int
        /// The checker's verdict; `nil` without a checker.
        public var check: CandidateCheck?
        /// It went on to aggregation (or agreement); `false`: dropped for a lower check level.
        public var kept: Bool

        public init(index: Int, check: CandidateCheck?, kept: Bool) {
            self.index = index
            self.check = check
            self.kept = kept
        }
    }

    /// Every successful proposal, in index order.
    public var entries: [Entry]
    /// The largest number of kept proposals that agree (equal `CandidateCheck.key`, or equal
    /// text without whitespace); 0 when none was kept.
    public var largestAgreement: Int
    /// The answer is the one a strict majority of the kept proposals agreed on; aggregation was
    /// skipped (`SelfMoAConfiguration.agreement`).
    public var decidedByAgreement: Bool
    /// The answer is the central kept proposal (`AnswerSource.central`); aggregation was skipped.
    public var decidedByCentrality: Bool
    /// The synthesis reached a lower check level than the best proposal (for instance because
    /// the token limit cut off the part that would be the answer), so the run answered with that
    /// proposal instead.
    public var synthesisRejected: Bool
    /// The checker's verdict on the synthesis, when it was checked.
    public var synthesisCheck: CandidateCheck?
    /// `escalate`: the greedy proposal passed every check alone, so it answered and no other
    /// proposal was sampled.
    public var passedAlone: Bool
    /// `escalate`: the greedy proposal failed a check, so the other proposals were sampled.
    public var escalated: Bool

    public init(
        entries: [Entry] = [], largestAgreement: Int = 0, decidedByAgreement: Bool = false,
        synthesisRejected: Bool = false, synthesisCheck: CandidateCheck? = nil, decidedByCentrality: Bool = false,
        passedAlone: Bool = false, escalated: Bool = false
    ) {
        self.passedAlone = passedAlone
        self.escalated = escalated
        self.entries = entries
        self.largestAgreement = largestAgreement
        self.decidedByAgreement = decidedByAgreement
        self.decidedByCentrality = decidedByCentrality
        self.synthesisRejected = synthesisRejected
        self.synthesisCheck = synthesisCheck
    }

    /// Proposals dropped before aggregation because they failed a check others passed.
    public var rejected: [Int] { entries.filter { !$0.kept }.map(\.index) }
    /// Proposals that went on to aggregation.
    public var kept: [Int] { entries.filter(\.kept).map(\.index) }
    /// The checker's notes (missing toolchains, …), each once, in the order first seen.
    public var notes: [String] {
        var seen: Set<String> = []
        let all = entries.flatMap { $0.check?.notes ?? [] } + (synthesisCheck?.notes ?? [])
        return all.filter { seen.insert($0).inserted }
    }
}
