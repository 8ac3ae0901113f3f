import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

@Suite struct PythonDocstringTests {
    @Test func aOneLineDocstring() {
        let lines = ["def f(x):  # note", "    r'''Doubles x.'''", "    return 2 * x"]
        let found = PythonDocstring.find(in: lines, definition: 0)
        #expect(found?.lines == 1...1)
        #expect(found?.text == "Doubles x.")
    }

    @Test func aDocstringOverSeveralLinesAfterAWrappedSignature() {
        let lines = ["def f(a,", "      b):", "", "    \"\"\"Adds.", "    >>> f(1, 2)", "    3", "    \"\"\"", "    return a + b"]
        let found = PythonDocstring.find(in: lines, definition: 0)
        #expect(found?.lines == 3...6)
        #expect(found?.text == "Adds.\n    >>> f(1, 2)\n    3\n    ")
    }

    @Test func noDocstringOrAnUnclosedOne() {
        #expect(PythonDocstring.find(in: ["def f():", "    return 1"], definition: 0) == nil)
        #expect(PythonDocstring.find(in: ["def f():", "    \"\"\"Never closed.", "    return 1"], definition: 0) == nil)
        #expect(PythonDocstring.find(in: ["x = 1"], definition: 3) == nil)
    }
}
