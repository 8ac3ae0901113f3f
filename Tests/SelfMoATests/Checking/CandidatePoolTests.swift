import ModelBackend
import Testing
@testable import SelfMoA

/// The pool's choices: kept by level, agreement by key, the stand-in for a failed synthesis.
@Suite struct CandidatePoolTests {
    private func proposal(_ index: Int, _ text: String) -> Proposal { Proposal(index: index, text: text) }

    @Test func keepsOnlyTheHighestLevel() {
        var pool = CandidatePool()
        let kept = pool.add(
            [proposal(0, "a"), proposal(1, "b"), proposal(2, "c")],
            checks: [0: CandidateCheck(level: 1, failure: "no parse"), 1: CandidateCheck(level: 2), 2: CandidateCheck(level: 2)]
        )
        #expect(kept.map(\.index) == [1, 2])
        #expect(pool.bestLevel == 2)
        let selection = pool.selection(decidedByAgreement: false, synthesisRejected: false, synthesisCheck: nil)
        #expect(selection.rejected == [0])
        #expect(selection.kept == [1, 2])
    }

    @Test func aCheckEveryCandidateFailsDropsNone() {
        var pool = CandidatePool()
        let kept = pool.add(
            [proposal(0, "a"), proposal(1, "b")],
            checks: [0: CandidateCheck(level: 0, failure: "x"), 1: CandidateCheck(level: 0, failure: "y")]
        )
        #expect(kept.count == 2)
    }

    @Test func majorityNeedsMoreThanHalfOfTheContenders() {
        var pool = CandidatePool()
        _ = pool.add([proposal(0, "x = 1"), proposal(1, "x=1"), proposal(2, "y"), proposal(3, "z")], checks: [:])
        // Whitespace does not count: 0 and 1 agree, but 2 of 4 is no majority.
        #expect(pool.groups.first?.map(\.index) == [0, 1])
        #expect(pool.majority == nil)
        #expect(pool.best?.index == 0)

        var three = CandidatePool()
        _ = three.add([proposal(0, "y"), proposal(1, "x"), proposal(2, "x"), proposal(3, "x")], checks: [:])
        #expect(three.majority?.index == 1)
    }

    @Test func agreementUsesTheCheckersKeyAndOnlyTheBestLevel() {
        var pool = CandidatePool()
        _ = pool.add(
            [proposal(0, "one"), proposal(1, "two"), proposal(2, "three"), proposal(3, "four")],
            checks: [
                0: CandidateCheck(level: 1, key: "k"), 1: CandidateCheck(level: 1, key: "k"),
                2: CandidateCheck(level: 0, key: "j"), 3: CandidateCheck(level: 1, key: "m"),
            ]
        )
        // 2 of the 3 contenders (proposal 2 was dropped) agree.
        #expect(pool.majority?.index == 0)
        #expect(pool.selection(decidedByAgreement: true, synthesisRejected: false, synthesisCheck: nil).largestAgreement == 2)
    }

    @Test func theCentralContenderIsTheOneMostLikeTheOthers() {
        var pool = CandidatePool()
        // 1 and 3 differ from 2 in one token each and from each other in two: 2 is central,
        // although no two are identical. 0 is dropped by its check and does not count.
        _ = pool.add(
            [proposal(0, "return b - a"), proposal(1, "return a + b"), proposal(2, "return a + c"), proposal(3, "return d + c")],
            checks: [0: CandidateCheck(level: 0, failure: "x"), 1: CandidateCheck(level: 1), 2: CandidateCheck(level: 1), 3: CandidateCheck(level: 1)]
        )
        #expect(pool.majority == nil)
        #expect(pool.best?.index == 1)
        #expect(pool.central?.index == 2)

        // The checker's terms are what is compared, when it gives them.
        var terms = CandidatePool()
        _ = terms.add(
            [proposal(0, "p"), proposal(1, "q"), proposal(2, "r")],
            checks: [
                0: CandidateCheck(level: 1, terms: ["x", "y"]), 1: CandidateCheck(level: 1, terms: ["u", "v"]),
                2: CandidateCheck(level: 1, terms: ["u", "w"]),
            ]
        )
        #expect(terms.central?.index == 1)

        // Two contenders: no centre, the best answers.
        var two = CandidatePool()
        _ = two.add([proposal(0, "a"), proposal(1, "b")], checks: [:])
        #expect(two.central?.index == 0)
    }

    @Test func aLoneProposalIsNoMajority() {
        var pool = CandidatePool()
        _ = pool.add([proposal(0, "a")], checks: [:])
        #expect(pool.majority == nil)
        #expect(pool.best?.index == 0)
    }
}
