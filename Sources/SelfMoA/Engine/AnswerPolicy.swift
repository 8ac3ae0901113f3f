/// How a run's answer is chosen once its proposals are in and its aggregation (if any) is done:
/// a pure function of what the run gathered, tested by itself.
///
/// In order:
/// 0. a `preferred` proposal (the greedy one, when a run escalated and no sample beat it on the
///    checks) → that proposal;
/// 1. a majority of the proposals agreed (`agreement`) → that proposal;
/// 2. `answer: central` → the central contender (`CandidatePool.central`);
/// 3. a synthesis exists → the synthesis, unless the checker ranked it below the best proposal,
///    which then answers (`synthesisRejected`);
/// 4. no synthesis (aggregation failed, or nothing to aggregate) → the best proposal, else the
///    first one;
/// 5. no proposal at all → `nil` (the run reports the first failure).
struct AnswerPolicy: Sendable {
    /// What the run decided.
    struct Decision: Sendable, Hashable {
        var text: String
        /// The answer is the synthesis.
        var aggregated: Bool
        /// The answer stopped at its token cap.
        var cut: Bool
        var decidedByCentrality = false
        var synthesisRejected = false
    }

    /// The synthesis and what the checker said of it.
    struct Synthesis: Sendable, Hashable {
        var text: String
        var cut: Bool
        /// The checker's level; `nil` without a checker.
        var level: Int?
    }

    var answer: AnswerSource

    func decide(
        preferred: Proposal? = nil, agreed: Proposal?, pool: CandidatePool, synthesis: Synthesis?, proposals: [Proposal]
    ) -> Decision? {
        if let preferred { return Decision(text: preferred.text, aggregated: false, cut: preferred.cut) }
        if let agreed { return Decision(text: agreed.text, aggregated: false, cut: agreed.cut) }
        if answer == .central, let chosen = pool.central {
            return Decision(text: chosen.text, aggregated: false, cut: chosen.cut, decidedByCentrality: true)
        }
        if let synthesis {
            if let level = synthesis.level, let standIn = pool.best, level < pool.level(of: standIn) {
                return Decision(text: standIn.text, aggregated: false, cut: standIn.cut, synthesisRejected: true)
            }
            return Decision(text: synthesis.text, aggregated: true, cut: synthesis.cut)
        }
        guard let first = pool.best ?? proposals.min(by: { $0.index < $1.index }) else { return nil }
        return Decision(text: first.text, aggregated: false, cut: first.cut)
    }
}

extension Proposal {
    /// The proposal stopped at its token cap.
    var cut: Bool { finishReason == "length" }
}
