import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

/// The whole clean-up from a synthesis to the text put in the document.
@Suite struct CodeCleanupTests {
    private func code(_ answer: String, _ source: String) -> String {
        let (text, selection) = marked(source)
        let insertion = ContextExtractor.insertion(
            ActionInput(fileName: "a.py", language: "python", text: text, selection: selection)
        )
        return CodeCleanup.code(from: answer, for: insertion)
    }

    @Test func aFencedAnswerRestatingTheFunctionAndTheNextLine() {
        let source = """
            def area(r):
                pi = 3.14159
                ‸
            print(area(2))
            """
        let answer = """
            ```python
            def area(r):
                pi = 3.14159
                return pi * r * r
            print(area(2))
            ```
            """
        #expect(code(answer, source) == "return pi * r * r")
    }

    /// The aggregation's favourite: the whole function again, docstring reworded, then a usage
    /// example. Only the body goes in, not a nested `def` that would leave the user's returning None.
    @Test func aRestatedFunctionWithARewordedDocstringGivesItsBody() {
        let source = """
            def collisions(n: int):
                \"\"\"
                n cars drive left to right, n right to left.

                This function outputs the number of collisions.
                \"\"\"
            ‸
            """
        let answer = """
            def collisions(n):
                \"\"\"
                Cars drive in both directions.
                \"\"\"
                return n * n

            # Example usage:
            print(collisions(5))
            """
        #expect(code(answer, source) == "    return n * n")
        // A long header over several lines, a one-line docstring, a method of a class.
        let method = "class Road:\n    def collisions(\n        self, n: int\n    ):\n        \"\"\"Count.\"\"\"\n‸"
        let restated = "def collisions(self,\n               n):\n    '''How many.'''\n    return n * n"
        #expect(code(restated, method) == "        return n * n")
    }

    /// A whole function with what it needs above it: the imports go (the file keeps its own, and
    /// missing standard ones are added apart), a helper follows the body, the decorator goes.
    @Test func aRestatedFunctionsPreambleFollowsTheBody() {
        let source = "def dist(p, q):\n    \"\"\"Distance.\"\"\"\n‸"
        let answer = """
            ```python
            import math
            from typing import Tuple

            def sq(x):
                return x * x

            @cache
            def dist(p, q):
                return math.sqrt(sq(p[0] - q[0]) + sq(p[1] - q[1]))
            ```
            """
        #expect(code(answer, source) == "    return math.sqrt(sq(p[0] - q[0]) + sq(p[1] - q[1]))\n\n\ndef sq(x):\n    return x * x")
        // An unused helper goes with the rest of the tail; imports alone leave just the body.
        let unused = "def helper():\n    pass\n\ndef dist(p, q):\n    return 0"
        #expect(code(unused, source) == "    return 0")
        #expect(code("import math\ndef dist(p, q):\n    return math.inf", source) == "    return math.inf")
    }

    /// Asked for a method, the model restates its class: the imports above it, the class header,
    /// the other methods (copied, or shown as the trimmed file's omission marks) and whatever
    /// follows the class all belong to the file already. Only the method's body goes in.
    @Test func aMethodRestatedInsideItsClassGivesItsBody() {
        let source = "import os\n\nclass Guard:\n    def __init__(self, c):\n        self.c = c\n\n    def __exit__(self, e, t, b):\n        \"\"\"Leave.\"\"\"\n‸\n\nclass Other:\n    pass\n"
        let answer = """
            ```python
            from _weakref import *
            import os

            class Guard:
                def __init__(self, c):
                    self.c = c
                ⋮ (lines 9–40 left out)
                def __exit__(self, e, t, b):
                    \"\"\"Leave the guard.\"\"\"
                    w = self.c()
                    if w is not None:
                        w.done()

                def other(self):
                    return 1


            class Other:
                pass
            ```
            """
        #expect(code(answer, source) == "        w = self.c()\n        if w is not None:\n            w.done()")
    }

    /// A nested function restated inside its outer function: the inner body only.
    @Test func aNestedFunctionRestatedInsideItsOuterOneGivesItsBody() {
        let source = "def outer(xs):\n    def key(x):\n‸\n    return sorted(xs, key=key)\n"
        let answer = "def outer(xs):\n    def key(x):\n        return -x\n    return sorted(xs, key=key)\n\nprint(outer([1, 2]))"
        #expect(code(answer, source) == "        return -x")
    }

    /// The line a trimmed file shows for what it left out is never code, wherever it is copied.
    @Test func theOmissionMarkIsNeverCode() {
        let source = "def f(x):\n    ‸"
        #expect(code("y = x + 1\n⋮ (lines 3–9 left out)\nreturn y", source) == "y = x + 1\n    return y")
    }

    @Test func anEmptyFunctionBodyIsWhereTheWholeFunctionIsAskedFor() {
        func name(_ source: String, language: String = "python") -> Substring? {
            let (text, selection) = marked(source)
            return RestatedFunction.emptyBody(ContextExtractor.insertion(
                ActionInput(fileName: "a.py", language: language, text: text, selection: selection)
            ))
        }
        #expect(name("def f(x):\n    \"\"\"Doc.\n\n    More.\n    \"\"\"\n‸") == "f")
        #expect(name("def f(x):\n    ‸\n\ndef g():\n    pass\n") == "f")
        #expect(name("class A:\n    def m(\n        self,\n    ) -> int:\n        ‸") == "m")
        // Body begun, code after the cursor in the function, not in a function, not Python.
        #expect(name("def f(x):\n    y = 1\n    ‸") == nil)
        #expect(name("def f(x):\n    ‸\n    return 1\n") == nil)
        #expect(name("x = 1\n‸") == nil)
        #expect(name("def f(x):\n    ‸", language: "swift") == nil)
        #expect(name("def f(x):\n    return ‸") == nil)
    }

    @Test func anotherFunctionOrOneOutsideTheCursorIsNotARestatement() {
        // Below a finished function the same name is a new definition, kept whole.
        let finished = "def f(x):\n    return x\n\n‸"
        #expect(code("def f(x):\n    return 2 * x", finished) == "def f(x):\n    return 2 * x")
        // Inside f, a helper with another name stays a nested definition.
        let inside = "def f(x):\n    \"\"\"Twice x.\"\"\"\n‸"
        let nested = "    def g(y):\n        return 2 * y\n    return g(x)"
        #expect(code(nested, inside) == nested)
        #expect(RestatedFunction.enclosingFunction(["def f(x):", "    y = 1"]) == "f")
        #expect(RestatedFunction.enclosingFunction(["def f(x):", "    y = 1", "z = 2"]) == nil)
    }

    @Test func aRelativeBlockAtAnIndentedCursor() {
        let source = "def total(items):\n    result = 0\n    ‸\n    return result\n"
        let answer = "for item in items:\n    result += item.price\n    return result"
        #expect(code(answer, source) == "for item in items:\n        result += item.price")
    }

    @Test func testCallsAfterTheFunctionBodyAreCut() {
        let source = "def double(x):\n    \"\"\"Twice x.\"\"\"\n‸"
        let answer = "```python\n    return 2 * x\n\n\n# Test cases\nprint(double(3))\n```"
        #expect(code(answer, source) == "    return 2 * x")
    }

    @Test func aHelperDefinedAfterTheBodyIsKeptTheTestCallsAreNot() {
        let source = "def prime_fib(n):\n    \"\"\"The n-th prime Fibonacci number.\"\"\"\n‸"
        let kept = """
                return next(f for f in fibs() if is_prime(f))

            # Helper
            def is_prime(k):
                return k > 1 and all(k % d for d in range(2, k))

            @cache
            def fibs():
                yield 1
            """
        let answer = kept + "\n\n# Example usage\nprint(prime_fib(3))\n"
        #expect(code(answer, source) == kept)
        // Inside a block that goes on below the cursor, a top-level definition would split it.
        let inside = "def prime_fib(n):\n    \"\"\"The n-th prime Fibonacci number.\"\"\"\n‸\n    return 0\n"
        #expect(code(answer, inside) == "    return next(f for f in fibs() if is_prime(f))")
    }

    @Test func definitionsTheBodyDoesNotUseAreCut() {
        let source = "def parse_music(s):\n    \"\"\"Beats per note.\"\"\"\n‸"
        let body = "    return [BEATS[n] for n in s.split()]"
        let helpers = """


            import math
            from collections import (
                Counter,
                OrderedDict as Ordered,
            )

            # The beats per note
            BEATS = {'o': 4}
            """
        // A constant is a statement, not a definition: the cut falls there, whatever uses it.
        #expect(code(body + helpers, source) == body)
        let answer = body + """


            # Check function to verify the correctness of the solution
            def check_solution():
                test_cases = [
                    ('o o|', [4, 2
            """
        #expect(code(answer, source) == body)
    }

    @Test func helpersAreKeptThroughEachOtherAndTheirImports() {
        let source = "def count(xs):\n    \"\"\"How often each item occurs.\"\"\"\n‸"
        let body = "    return tally(xs)"
        let helper = """


            from collections import (
                Counter as C,
            )

            def tally(xs):
                return dict(C(normalise(x) for x in xs))


            def normalise(x):
                return str(x).lower()
            """
        let unused = "\n\n\nimport math\n\nclass Test:\n    def test(self):\n        assert count([1]) == {'1': 1}\n"
        #expect(code(body + helper + unused + "\nprint(count([1]))\n", source) == body + helper)
        #expect(TopLevelDefinition.scan(["import os.path, re as regex", "from m import x", "x = 1"], from: 0).map(\.names)
            == [["os", "regex"], ["x"]])
    }

    @Test func aNewTopLevelFunctionIsKept() {
        let source = "def double(x):\n    return 2 * x\n\n‸"
        let answer = "def triple(x):\n    return 3 * x\n\nprint(triple(2))"
        #expect(code(answer, source) == answer)
    }

    @Test func unindentedCodeBelowADocstringGoesInTheBody() {
        let source = "def first(xs):\n    \"\"\" The first item.\n    >>> first([1])\n    1\n    \"\"\"\n‸"
        let answer = "if not xs:\n    return None\nreturn xs[0]"
        #expect(code(answer, source) == "    if not xs:\n        return None\n    return xs[0]")
        // Already indented (an infill sample): kept as it is.
        #expect(code("    return xs[0]", source) == "    return xs[0]")
        // A one-line docstring, and a header with nothing below it yet.
        #expect(code("return xs[0]", "def first(xs):\n    \"\"\"The first item.\"\"\"\n‸") == "    return xs[0]")
        #expect(code("return xs[0]", "class A:\n    def first(self, xs):\n‸") == "        return xs[0]")
    }

    @Test func unindentedCodeBelowAFinishedFunctionStaysAtTheTop() {
        let source = "def first(xs):\n    \"\"\"The first item.\"\"\"\n    return xs[0]\n\n‸"
        #expect(code("def last(xs):\n    return xs[-1]", source) == "def last(xs):\n    return xs[-1]")
        // A module docstring is no function body.
        #expect(code("import os", "\"\"\"Tools.\"\"\"\n‸") == "import os")
    }

    @Test func onlyPythonIsCut() {
        #expect(CodeCleanup.cutTopLevelTail("    x = 1\nfoo()", lead: "", language: "swift") == "    x = 1\nfoo()")
        #expect(CodeCleanup.cutTopLevelTail("    x = 1\nfoo()", lead: "", language: "python") == "    x = 1")
    }

    @Test func rewritingSelectedLines() {
        let source = "class A:\n    def f(self, x):\n        ⟨# TODO: return x doubled⟩\n\n    def g(self): pass\n"
        let answer = "Here is the implementation:\n```python\nreturn x * 2\n```"
        #expect(code(answer, source) == "        return x * 2")
    }

    @Test func rewritingBlankLinesTakesTheIndentationOfTheBlock() {
        #expect(code("return r * r", "def area(r):\n⟨    ⟩\n") == "    return r * r")
        #expect(code("return r * r", "def area(r):\n⟨\n⟩print(area(1))") == "    return r * r")
        #expect(code("print(1)", "x = 1\n⟨\n⟩") == "print(1)")
    }

    @Test func nothingUsableIsEmpty() {
        #expect(code("```python\nprint(area(2))\n```", "x = 1\n‸\nprint(area(2))") == "")
    }

    /// An infill sample of a top-level function's body that went on with the next functions of
    /// the file until its cap: the body goes in whole, its last line included.
    @Test func anInfillSampleThatRanIntoTheNextFunctionsGivesTheWholeBody() {
        let source = """
            def probe():
                return (10, 14)


            def supports():
                ‸


            def other():
                pass
            """
        let answer = """
            version = probe()
                if version >= (10, 15):
                    return True
                return False

            def supports_xcode():
                \"\"\"Returns True if Xcode is installed.\"\"\"
                return os.path.exists('/Applications/Xcode.app')

            def supports_arm
            """
        #expect(code(answer, source) == "version = probe()\n    if version >= (10, 15):\n        return True\n    return False")
    }

    /// In a method, the answer ends where it goes back to the method's own indentation: the
    /// class's next method is not part of the body.
    @Test func aMethodsBodyEndsAtTheNextMethod() {
        let source = """
            class Pool:
                def take(self, n):
                    ‸

                def give(self, n):
                    pass
            """
        let answer = """
            total = self.size - n
                    return total

                def put(self, item):
                    self.items.append(item)
            """
        #expect(code(answer, source) == "total = self.size - n\n        return total")
    }
}
