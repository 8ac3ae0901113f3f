import ModelBackend
import SelfMoA
@testable import Assistant
import Testing

@Suite struct ExplainActionTests {
    @Test func commentaryOnTheCandidatesIsCutOff() {
        let answer = """
            `Inventory` keeps items with prices and quantities.

            - `add` increases the quantity of a known item.

            ### Explanation of the Candidate Answers

            1. **Candidate 1**
               - The selected code is a simple class.
            """
        #expect(ExplainAction.markdown(answer) == "`Inventory` keeps items with prices and quantities.\n\n- `add` increases the quantity of a known item.")
    }

    @Test(arguments: ["**Candidate 2** says more.", "1. Candidate 1 is right", "## Comparing the candidates", "- The candidates agree"])
    func recognisesCommentary(line: String) {
        #expect(ExplainAction.startsCandidateCommentary(line))
    }

    @Test(arguments: ["- `candidate` holds the best guess so far.", "It picks a candidate.", "## Edge cases"])
    func leavesOrdinaryLines(line: String) {
        #expect(!ExplainAction.startsCandidateCommentary(line))
    }

    @Test func ordinaryTextMentioningCandidatesStays() {
        let answer = "`pick` chooses the best candidate from `items`.\n\n- It returns nil for an empty list."
        #expect(ExplainAction.markdown(answer) == answer)
    }

    @Test func fencesAndTagsAreRemoved() {
        #expect(ExplainAction.markdown("```markdown\nText.\n```") == "Text.")
        #expect(ExplainAction.markdown("<candidate 1>\nText.\n</candidate 1>") == "Text.")
    }

    @Test func echoedFormatLabelsAreDropped() {
        let answer = """
            One sentence that sums it up is:

            `LineIndex` maps byte offsets to lines.

            Here are a few short bullet points:

            - `line(of:)` clamps the offset.
            """
        #expect(ExplainAction.markdown(answer) == "`LineIndex` maps byte offsets to lines.\n\n- `line(of:)` clamps the offset.")
        #expect(ExplainAction.isFormatLabel("**Summary in one sentence that sums it up:**"))
        #expect(!ExplainAction.isFormatLabel("- It sums it up: the total of all prices."))
        #expect(!ExplainAction.isFormatLabel("Edge cases:"))
    }

    @Test func aRestartedExplanationEndsTheAnswer() {
        let answer = """
            The selected code is a small inventory that keeps prices and stock levels.

            - `add` raises the stock of an item.
            - `total_value` overwrites the total instead of adding to it.

            The selected code is a class `Inventory` with three methods:

            - `add` adds
            """
        #expect(ExplainAction.markdown(answer) == """
            The selected code is a small inventory that keeps prices and stock levels.

            - `add` raises the stock of an item.
            - `total_value` overwrites the total instead of adding to it.
            """)
        let relabelled = "`f` doubles `x`.\n\n- It returns an `int`.\n\nOne sentence that sums it up is:\n`f` doubles."
        #expect(ExplainAction.markdown(relabelled) == "`f` doubles `x`.\n\n- It returns an `int`.")
    }

    @Test func aClosingSentenceOrASecondListStays() {
        let answer = """
            The selected code parses a header.

            - It reads the length.

            **Edge cases:**

            1. An empty header is an error.

            Overall, the parser never allocates.
            """
        #expect(ExplainAction.markdown(answer) == answer)
        #expect(ExplainAction.restartIndex(answer.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)) == nil)
    }

    @Test(arguments: ["- a", "* a", "+ a", "1. a", "12) a", "  - nested"])
    func recognisesBullets(line: String) {
        #expect(ExplainAction.isBullet(line))
    }

    @Test(arguments: ["-1 is negative", "2024 was a year.", "**Bold**", "Text."])
    func leavesNonBullets(line: String) {
        #expect(!ExplainAction.isBullet(line))
    }
}
