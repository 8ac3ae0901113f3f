import Testing

@testable import ModelBackend

@Suite struct InfillTrimmerTests {
    let prefix = "def fibonacci(n):\n    "
    let suffix = "\n\nprint(fibonacci(10))\n"

    @Test func cutsTheRepeatedSuffixTheFenceAndTheProse() {
        // What Qwen2.5-Coder-0.5B-Instruct answered to this hole on llama.cpp's /infill.
        let answer = """
            if n <= 1:
                    return n
                else:
                    return fibonacci(n-1) + fibonacci(n-2)

            print(fibonacci(10))
            ```

            This code defines a
            """
        let trimmed = InfillTrimmer.trim(answer, prefix: prefix, suffix: suffix)
        #expect(trimmed == "if n <= 1:\n        return n\n    else:\n        return fibonacci(n-1) + fibonacci(n-2)")
        #expect(prefix + trimmed + suffix == """
            def fibonacci(n):
                if n <= 1:
                    return n
                else:
                    return fibonacci(n-1) + fibonacci(n-2)

            print(fibonacci(10))

            """)
    }

    @Test func keepsACleanAnswer() {
        let answer = "return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)"
        #expect(InfillTrimmer.trim(answer, prefix: prefix, suffix: suffix) == answer)
    }

    @Test func keepsFencesWhenTheFileHasThem() {
        let answer = "```swift\nlet x = 1\n```"
        #expect(InfillTrimmer.trim(answer, prefix: "# Notes\n```sh\nls\n```\n", suffix: "\nmore") == answer)
        // The fence the suffix already has is not repeated.
        #expect(InfillTrimmer.trim(answer, prefix: "# Notes\n", suffix: "\n```\nmore") == "```swift\nlet x = 1")
    }

    @Test func doesNotMistakeAnInnerClosingBraceForTheSuffix() {
        let answer = "if x {\n        y()\n    }\n    return z"
        #expect(InfillTrimmer.trim(answer, prefix: "func f() {\n    ", suffix: "\n}\n\nf()\n") == answer)
    }

    @Test func cutsTwoRepeatedShortLines() {
        let answer = "    return a\n}\n\nf()\nmore text"
        #expect(InfillTrimmer.trim(answer, prefix: "func f() {\n", suffix: "\n}\n\nf()\n") == "    return a")
    }

    @Test func keepsTheNewlineWhenTheSuffixStartsALine() {
        let answer = "x = 1\nprint(x)\n"
        #expect(InfillTrimmer.trim(answer, prefix: "def g():\n", suffix: "print(x)\n") == "x = 1\n")
    }

    @Test func removesAClosingBracketTheSuffixAlreadyHas() {
        #expect(InfillTrimmer.trim("a, b)", prefix: "f(", suffix: ")\n") == "a, b")
        #expect(InfillTrimmer.trim("total + 1", prefix: "x = ", suffix: "1\n") == "total + 1")
    }

    @Test func stopSequencesIncludeAFenceAndADistinctiveFirstSuffixLine() {
        let request = InfillRequest(
            prefix: prefix,
            suffix: suffix,
            options: SamplingOptions(temperature: 0, maxTokens: 32, stop: ["<|endoftext|>"])
        )
        #expect(InfillTrimmer.stopSequences(for: request) == ["<|endoftext|>", "\n```", "print(fibonacci(10))"])
        let braces = InfillRequest(prefix: "f() {", suffix: "\n}\n", options: SamplingOptions(temperature: 0, maxTokens: 8))
        #expect(InfillTrimmer.stopSequences(for: braces) == ["\n```"])
    }
}
