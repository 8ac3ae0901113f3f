import ModelBackend
import Testing
@testable import SelfMoA

@Suite struct InfillCleanupTests {
    @Test func cutsWhereTheSuffixRepeats() {
        let suffix = "\n    }\n    print(x)"
        #expect(InfillCleanup.clean("x += 1\n    }\n    print(x)\n", prefix: "", suffix: suffix) == "x += 1")
    }

    /// A sample the cap stopped after it ran past the cursor's block (into the next function,
    /// here) ended its code where it repeats the suffix: it is not cut off. One stopped inside
    /// its code, or cut only by whitespace, still is.
    @Test func aSampleCutWhereItRepeatsTheSuffixEndedBeforeTheCap() {
        let suffix = "\n}\n\n/** The next one. */\nfunction next() {}"
        let past = "return 1;\n}\n\n/** The next one. */\nfunction other(a) {\n  for (const x of a) {\n    if (x"
        let ended = InfillCleanup.cleaned(past, finishReason: "length", prefix: "", suffix: suffix)
        #expect(ended.text == "return 1;" && ended.finishReason == "stop")
        let inside = InfillCleanup.cleaned("let total = 0;\nfor (const x of a) {\n  total +=", finishReason: "length", prefix: "", suffix: suffix)
        #expect(inside.finishReason == "length")
        let trailing = InfillCleanup.cleaned("return 1;\n\n\n", finishReason: "length", prefix: "", suffix: suffix)
        #expect(trailing.text == "return 1;" && trailing.finishReason == "length")
        #expect(InfillCleanup.cleaned(past, finishReason: "stop", prefix: "", suffix: suffix).finishReason == "stop")
    }

    @Test func keepsALineThatOnlyLooksLikeTheSuffixAtAnotherIndentation() {
        let suffix = "\n}\nfunc next() {}"
        let text = "if x {\n    y()\n    }\nreturn z"
        #expect(InfillCleanup.clean(text, prefix: "", suffix: suffix) == text)
    }

    @Test func requiresTheSecondAnchorLineWhenThereIsOne() {
        let suffix = "\n}\nprint(1)"
        #expect(InfillCleanup.clean("a()\n}\nb()", prefix: "", suffix: suffix) == "a()\n}\nb()")
        #expect(InfillCleanup.clean("a()\n}", prefix: "", suffix: suffix) == "a()")
    }

    @Test func cutsAtACodeFenceAndTrailingBlankLines() {
        #expect(InfillCleanup.clean("a()\n\n```\nmore", prefix: "", suffix: "") == "a()")
    }

    // What the backend used to trim (moved here: the engine is the one place that cleans).
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
        let trimmed = InfillCleanup.clean(answer, prefix: prefix, suffix: suffix)
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
        #expect(InfillCleanup.clean(answer, prefix: prefix, suffix: suffix) == answer)
    }

    @Test func keepsFencesWhenTheFileHasThem() {
        let answer = "```swift\nlet x = 1\n```"
        #expect(InfillCleanup.clean(answer, prefix: "# Notes\n```sh\nls\n```\n", suffix: "\nmore") == answer)
        // The fence the suffix already has is not repeated.
        #expect(InfillCleanup.clean(answer, prefix: "# Notes\n", suffix: "\n```\nmore") == "```swift\nlet x = 1")
    }

    @Test func doesNotMistakeAnInnerClosingBraceForTheSuffix() {
        let answer = "if x {\n        y()\n    }\n    return z"
        #expect(InfillCleanup.clean(answer, prefix: "func f() {\n    ", suffix: "\n}\n\nf()\n") == answer)
    }

    @Test func cutsTwoRepeatedShortLines() {
        let answer = "    return a\n}\n\nf()\nmore text"
        #expect(InfillCleanup.clean(answer, prefix: "func f() {\n", suffix: "\n}\n\nf()\n") == "    return a")
    }

    @Test func cutsWhereTheSuffixStartsAgainAndDropsTheBlankTail() {
        let answer = "x = 1\nprint(x)\n"
        // Trailing blank lines go; the action fits the code to the lines around it.
        #expect(InfillCleanup.clean(answer, prefix: "def g():\n", suffix: "print(x)\n") == "x = 1")
    }

    @Test func removesAClosingBracketTheSuffixAlreadyHas() {
        #expect(InfillCleanup.clean("a, b)", prefix: "f(", suffix: ")\n") == "a, b")
        #expect(InfillCleanup.clean("total + 1", prefix: "x = ", suffix: "1\n") == "total + 1")
    }
}
