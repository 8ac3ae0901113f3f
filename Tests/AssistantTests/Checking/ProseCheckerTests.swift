import SelfMoA
import Testing
@testable import Assistant

/// Prose answers that loop or stop at their cap rank below sound ones.
@Suite struct ProseCheckerTests {
    @Test func aRepeatedBulletOrSentenceIsFound() {
        let looping = "Sums the prices.\n\n- It adds each price to a running total.\n- It returns the total.\n- It adds each price to a running total."
        #expect(RepeatedText.firstRepeat(in: looping) == "It adds each price to a running total.")
        let sentences = "It loops over the items. The total is returned. It loops over the items."
        #expect(RepeatedText.firstRepeat(in: sentences) == "It loops over the items.")
    }

    @Test func shortUnitsAndCodeMayRepeat() {
        let text = "### Returns\n\n- `total`\n\n### Returns\n\n```python\nreturn a + b + c + d\nreturn a + b + c + d\n```\n- Returns `total`."
        #expect(RepeatedText.firstRepeat(in: text) == nil)
    }

    @Test func levels() async {
        let checker = ProseChecker()
        #expect(await checker.check("A sound answer. With two sentences.", cutOff: false).level == 1)
        #expect(await checker.check("A sound answer that was cut", cutOff: true).level == 0)
        #expect(await checker.check("- the same bullet here\n- the same bullet here", cutOff: false).level == 0)
    }
}
