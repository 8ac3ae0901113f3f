import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

/// Answers in brace languages fitted to the cursor's block by the language's brackets.
@Suite struct BraceCleanupTests {
    private func code(_ answer: String, _ source: String, language: String, file: String) -> String {
        let (text, selection) = marked(source)
        let insertion = ContextExtractor.insertion(ActionInput(fileName: file, language: language, text: text, selection: selection))
        return CodeCleanup.code(from: answer, for: insertion)
    }

    /// The reported case: an arrow function with its closing `}` in place; the answer's `};`,
    /// and the test code after it, go.
    @Test func javaScriptClosingDelimiterAndAppendedTestsAreCut() {
        let source = """
            /** Adds two numbers. */
            const add = (a, b) => {
            ‸
            };

            module.exports = { add };
            """
        let answer = """
            ```javascript
              return a + b;
            };

            // Test cases
            console.log(add(1, 2)); // 3
            console.log(add(-1, 1)); // 0
            ```
            """
        // The file has no indented line to learn from: the body gets the default unit.
        #expect(code(answer, source, language: "javascript", file: "add.js") == "    return a + b;")
    }

    @Test func aRestatedJavaScriptFunctionGivesItsBody() {
        let source = """
            function total(items) {
              ‸
            }
            """
        let answer = """
            /**
             * Sums the prices.
             */
            function total(items) {
              let sum = 0;
              for (const item of items) {
                sum += item.price;
              }
              return sum;
            }

            console.log(total([{ price: 2 }]));
            """
        #expect(code(answer, source, language: "javascript", file: "t.js")
            == "let sum = 0;\n  for (const item of items) {\n    sum += item.price;\n  }\n  return sum;")
    }

    @Test func aRestatedSwiftMethodInAClassGivesItsBody() {
        let source = """
            struct Circle {
                var radius: Double
                func area() -> Double {
                    ‸
                }
            }
            """
        let answer = """
            func area() -> Double {
                return Double.pi * radius * radius
            }
            """
        // The cursor's line has its indentation already: the code starts after it.
        #expect(code(answer, source, language: "swift", file: "c.swift") == "return Double.pi * radius * radius")
    }

    @Test func aRestatedCFunctionAndItsMainGo() {
        let source = """
            #include <stdio.h>

            int square(int x) {
                ‸
            }
            """
        let answer = """
            int square(int x) {
                return x * x;
            }

            int main(void) {
                printf("%d\\n", square(3));
                return 0;
            }
            """
        #expect(code(answer, source, language: "c", file: "s.c") == "return x * x;")
    }

    /// A nested function the answer writes stays: its braces are balanced.
    /// A correction that restates the file from its top: its includes, the file's other
    /// top-level lines and the function's header go, and the body stays; a body that opens with a
    /// conditional the file has only inside another function keeps it.
    @Test func aRestatedFileTopBeforeTheBodyGoes() {
        let source = """
            #include "build-info.h"

            #include <cstdio>

            // embedded data
            extern const char data[];

            int helper(int a) {
            #if defined(FAST)
                return a;
            #endif
                return a + 1;
            }

            int size(void) {
                ‸
            }
            """
        let restated = """
            ```cpp
            #include "build-info.h"

            #include <cstdio>

            // embedded data
            extern const char data[];

            int size(void) {
                return (int) sizeof(data);
            }
            ```
            """
        #expect(code(restated, source, language: "cpp", file: "size.cpp") == "return (int) sizeof(data);")
        let indented = "```cpp\n    #include <cstdio>\n    extern const char data[];\n    return 0;\n```"
        #expect(code(indented, source, language: "cpp", file: "size.cpp") == "return 0;")
        let conditional = "```cpp\n#if defined(FAST)\n    return 1;\n#endif\n    return 2;\n```"
        #expect(code(conditional, source, language: "cpp", file: "size.cpp") == "#if defined(FAST)\n    return 1;\n#endif\n    return 2;")
    }

    @Test func nestedBlocksAndBracesInStringsAndCommentsDoNotCut() {
        let source = """
            function outer(xs) {
              ‸
            }
            """
        let answer = """
              const inner = (x) => { return `{${x}}`; }; // a } in a comment
              const s = "}";
              return xs.map(inner);
            }
            outer([1]);
            """
        #expect(code(answer, source, language: "typescript", file: "o.ts")
            == "const inner = (x) => { return `{${x}}`; }; // a } in a comment\n  const s = \"}\";\n  return xs.map(inner);")
    }

    /// Where the file does not close the block yet, the answer's `}` is kept, and what follows goes.
    @Test func theClosingBraceStaysWhenTheFileLacksIt() {
        let source = """
            function half(x) {
              ‸
            """
        let answer = "  return x / 2;\n}\n\nconsole.log(half(4));"
        // The kept `}` lines up with the line that opened the block, not with the body.
        #expect(code(answer, source, language: "javascript", file: "h.js") == "return x / 2;\n}")
        let method = "struct S {\n    func half(_ x: Int) -> Int {\n        ‸"
        #expect(code("return x / 2\n}\n\nprint(S().half(4))", method, language: "swift", file: "s.swift") == "return x / 2\n    }")
    }

    /// At the top level a whole new function is the answer.
    @Test func atTheTopLevelTheAnswerIsLeftWhole() {
        let source = "const a = 1;\n‸\n"
        let answer = "function twice(x) {\n  return 2 * x;\n}"
        #expect(code(answer, source, language: "javascript", file: "a.js") == answer)
    }

    @Test func namesOfHeaders() {
        #expect(BraceCleanup.functionName("function add(a, b) {") == "add")
        #expect(BraceCleanup.functionName("const add = (a, b) => {") == "add")
        #expect(BraceCleanup.functionName("export const add: Adder = (a, b) => {") == "add")
        #expect(BraceCleanup.functionName("func area() -> Double {") == "area")
        #expect(BraceCleanup.functionName("static int square(int x) {") == "square")
        #expect(BraceCleanup.functionName("if (x > 0) {") == nil)
    }
}
