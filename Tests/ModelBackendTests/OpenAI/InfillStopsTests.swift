import Testing

@testable import ModelBackend

@Suite struct InfillStopsTests {
    let prefix = "def fibonacci(n):\n    "
    let suffix = "\n\nprint(fibonacci(10))\n"

    @Test func stopSequencesIncludeAFenceAndADistinctiveFirstSuffixLine() {
        let request = InfillRequest(
            prefix: prefix,
            suffix: suffix,
            options: SamplingOptions(temperature: 0, maxTokens: 32, stop: ["<|endoftext|>"])
        )
        #expect(InfillStops.stopSequences(for: request) == ["<|endoftext|>", "\n```", "print(fibonacci(10))"])
        let braces = InfillRequest(prefix: "f() {", suffix: "\n}\n", options: SamplingOptions(temperature: 0, maxTokens: 8))
        #expect(InfillStops.stopSequences(for: braces) == ["\n```", "\n}"])
    }

    /// The close of the cursor's block, at its own indentation: a deeper-indented `}` (an inner
    /// block's) does not match it; text after the cursor that does not start with a close adds none.
    @Test func theBlocksCloseAtItsIndentationStops() {
        #expect(InfillStops.blockClose(suffix: "\n  }\n\n  other() {}\n") == "\n  }")
        #expect(InfillStops.blockClose(suffix: "\n\n\t};\n") == "\n\t}")
        #expect(InfillStops.blockClose(suffix: "\n})\n") == "\n}")
        #expect(InfillStops.blockClose(suffix: "\n    return x;\n}\n") == nil)
        #expect(InfillStops.blockClose(suffix: "") == nil)
        let stop = "\n  }"
        #expect(!"if (x) {\n    y();\n    }\n".contains(stop))
        #expect("return 1;\n  }\n\n  next() {".contains(stop))
    }
}
