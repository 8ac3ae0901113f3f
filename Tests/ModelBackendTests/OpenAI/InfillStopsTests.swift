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
        #expect(InfillStops.stopSequences(for: braces) == ["\n```"])
    }
}
