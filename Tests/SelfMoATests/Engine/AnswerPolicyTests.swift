import Testing
@testable import SelfMoA

/// The answer policy by itself: which of agreement, the central choice, the synthesis and a
/// fallback proposal answers.
@Suite struct AnswerPolicyTests {
    private func proposal(_ index: Int, _ text: String, cut: Bool = false) -> Proposal {
        Proposal(index: index, text: text, finishReason: cut ? "length" : "stop")
    }

    private func pool(_ proposals: [Proposal], levels: [Int: Int] = [:]) -> CandidatePool {
        var pool = CandidatePool()
        _ = pool.add(proposals, checks: levels.mapValues { CandidateCheck(level: $0) })
        return pool
    }

    @Test func agreementAnswersFirst() throws {
        let same = proposal(1, "x = 1")
        let decision = try #require(AnswerPolicy(answer: .synthesis).decide(
            agreed: same, pool: pool([proposal(0, "y"), same]),
            synthesis: .init(text: "synth", cut: false, level: nil), proposals: [same]))
        #expect(decision.text == "x = 1" && !decision.aggregated)
    }

    @Test func theCentralChoiceSkipsTheSynthesis() throws {
        let proposals = [proposal(0, "a b c d"), proposal(1, "a b c e"), proposal(2, "q r s t")]
        let decision = try #require(AnswerPolicy(answer: .central).decide(
            agreed: nil, pool: pool(proposals), synthesis: nil, proposals: proposals))
        #expect(decision.decidedByCentrality && !decision.aggregated)
        #expect(decision.text.hasPrefix("a b c"))
    }

    @Test func theCentralChoiceAvoidsCandidatesTheCheckerRankedLow() throws {
        let proposals = [proposal(0, "a b c d", cut: true), proposal(1, "a b c d"), proposal(2, "a b c e"), proposal(3, "z")]
        let decision = try #require(AnswerPolicy(answer: .central).decide(
            agreed: nil, pool: pool(proposals, levels: [0: 0, 1: 1, 2: 1, 3: 1]), synthesis: nil, proposals: proposals))
        #expect(decision.text == "a b c d" && !decision.cut)
    }

    @Test func aSynthesisAnswersUnlessItsCheckFallsBelowTheBestProposal() throws {
        let proposals = [proposal(0, "good"), proposal(1, "other")]
        let checked = pool(proposals, levels: [0: 2, 1: 1])
        let kept = try #require(AnswerPolicy(answer: .synthesis).decide(
            agreed: nil, pool: checked, synthesis: .init(text: "synth", cut: false, level: 2), proposals: proposals))
        #expect(kept.aggregated && kept.text == "synth")
        let rejected = try #require(AnswerPolicy(answer: .synthesis).decide(
            agreed: nil, pool: checked, synthesis: .init(text: "synth", cut: true, level: 0), proposals: proposals))
        #expect(rejected.synthesisRejected && rejected.text == "good" && !rejected.aggregated && !rejected.cut)
    }

    @Test func withoutASynthesisTheBestProposalAnswersAndWithoutProposalsNothingDoes() throws {
        let proposals = [proposal(1, "late"), proposal(0, "first", cut: true)]
        let decision = try #require(AnswerPolicy(answer: .synthesis).decide(
            agreed: nil, pool: pool(proposals), synthesis: nil, proposals: proposals))
        #expect(decision.text == "first" && decision.cut && !decision.aggregated)
        #expect(AnswerPolicy(answer: .synthesis).decide(agreed: nil, pool: CandidatePool(), synthesis: nil, proposals: []) == nil)
    }
}
