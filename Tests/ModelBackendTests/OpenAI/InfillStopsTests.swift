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

    /// Where the text after the cursor goes on with a definition less indented than the cursor,
    /// another definition at that indentation stops: after a top-level function's body, at
    /// column 0; in a method, at the class's level, not at a nested function inside the body.
    @Test func aDefinitionAfterTheBodyStops() {
        let topLevel = InfillStops.nextDefinition(prefix: "def f():\n    ", suffix: "\n\n\ndef g(x):\n    pass\n")
        #expect(topLevel == ["\ndef ", "\nclass ", "\nasync def ", "\n@"])
        let method = InfillStops.nextDefinition(
            prefix: "class A:\n    def f(self):\n        x = 1\n        ", suffix: "\n\n    @property\n    def g(self):\n")
        #expect(method == ["\n    def ", "\n    class ", "\n    async def ", "\n    @"])
        #expect(!method.contains { "return x\n\n        def inner():\n            pass".contains($0) })
        #expect(method.contains { "return x\n\n    def h(self):".contains($0) })
        // Not a definition after the cursor, or not less indented than it: nothing.
        #expect(InfillStops.nextDefinition(prefix: "def f():\n    ", suffix: "\n\nprint(f())\n").isEmpty)
        #expect(InfillStops.nextDefinition(prefix: "def f():\n    ", suffix: "\n    def g():\n").isEmpty)
        #expect(InfillStops.nextDefinition(prefix: "", suffix: "\ndef g():\n").isEmpty)
        let request = InfillRequest(prefix: "def f():\n    ", suffix: "\n\ndef g():\n    pass\n", options: SamplingOptions(temperature: 0, maxTokens: 8))
        #expect(InfillStops.stopSequences(for: request) == ["\n```", "\ndef ", "\nclass ", "\nasync def ", "\n@"])
    }
}
