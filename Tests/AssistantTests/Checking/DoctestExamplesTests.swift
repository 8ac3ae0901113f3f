import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

@Suite struct DoctestExamplesTests {
    private let file = """
    import math

    def unrelated():
        \"\"\">>> unrelated()\"\"\"

    def add(a, b):  # sum
        \"\"\"Add two numbers.

        >>> add(1, 2)
        3
        >>> add(-1, 1)
        0
        \"\"\"

    """.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)

    @Test func findsTheDocstringOfTheFunctionAboveTheCursor() throws {
        let cursor = file.count - 1
        let docstring = try #require(DoctestExamples.docstring(in: file, focus: cursor..<cursor + 1))
        #expect(docstring.contains(">>> add(1, 2)\n    3"))
        #expect(!docstring.contains("unrelated"))
        #expect(DoctestExamples.count(in: docstring) == 2)
    }

    @Test func aSelectionIncludingTheSignatureUsesThatFunction() throws {
        let start = file.firstIndex { $0.hasPrefix("def add") }!
        let docstring = try #require(DoctestExamples.docstring(in: file, focus: start - 1..<start + 3))
        #expect(docstring.contains(">>> add(-1, 1)"))
    }

    @Test func singleLineDocstringAndNone() {
        #expect(DoctestExamples.docstring(in: file, focus: 3..<4) == ">>> unrelated()")
        #expect(DoctestExamples.docstring(in: ["def f():", "    '''No examples.'''", "    pass"], focus: 2..<3) == nil)
        #expect(DoctestExamples.docstring(in: ["x = 1"], focus: 0..<1) == nil)
        // An unclosed docstring is not trusted.
        #expect(DoctestExamples.docstring(in: ["def f():", "    '''", "    >>> f()"], focus: 2..<3) == nil)
    }
}
