import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

@Suite struct CodeExtractorTests {
    private func extract(_ answer: String) -> String {
        CodeExtractor.extract(answer, marker: "<CURSOR>").joined(separator: "\n")
    }

    @Test func takesTheFencedCodeOutOfProse() {
        let answer = """
            Here is the completed function:

            ```python
                return total / len(prices)
            ```

            This divides the total by the count.
            """
        #expect(extract(answer) == "    return total / len(prices)")
    }

    @Test func choosesTheLongestFencedBlock() {
        let answer = "Use:\n```\nx\n```\nFull version:\n```swift\nlet a = 1\nlet b = a + 1\n```\n"
        #expect(extract(answer) == "let a = 1\nlet b = a + 1")
    }

    @Test func anUnclosedFenceRunsToTheEnd() {
        #expect(extract("```js\nconst a = 1;\nconst b = 2;") == "const a = 1;\nconst b = 2;")
    }

    @Test func unfencedAnswersLoseLeadingAndTrailingProse() {
        let answer = """
            Sure! Here is the code to insert:
            for item in items:
                total += item.price

            This loop adds up the prices of all items.
            - It assumes items is not empty.
            """
        #expect(extract(answer) == "for item in items:\n    total += item.price")
    }

    @Test func codeThatStartsLikeAWordIsNotProse() {
        #expect(extract("i = 0\nit = iter(items)\nthis_value = 3") == "i = 0\nit = iter(items)\nthis_value = 3")
        #expect(CodeExtractor.isProse("This function returns the average price."))
        #expect(!CodeExtractor.isProse("this.items.push(item);"))
        #expect(!CodeExtractor.isProse("i += 1"))
    }

    @Test func removesEchoedMarkersAndCandidateTags() {
        #expect(extract("<candidate 1>\n    <CURSOR>return x\n</candidate 1>") == "    return x")
    }

    @Test func keepsTheFirstLinesIndentationButDropsBlankEdges() {
        #expect(extract("\n\n        x = 1   \n\n") == "        x = 1")
    }
}
