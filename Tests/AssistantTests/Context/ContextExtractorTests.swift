import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

@Suite struct ContextExtractorTests {
    private func input(_ text: String, _ selection: Range<Int>?) -> ActionInput {
        ActionInput(fileName: "inventory.py", language: "python", text: text, selection: selection)
    }

    @Test func noSelectionIsTheWholeFile() {
        let focused = ContextExtractor.focused(input(Samples.python, nil), lineNumbers: true)
        #expect(focused.wholeFile)
        #expect(focused.context.selection == 0..<0)
        #expect(focused.context.header == 1..<7)
        #expect(focused.context.lineNumbers)
    }

    @Test func aCursorSelectsTheEnclosingFunctionAndKeepsImports() {
        let text = Samples.python
        let cursor = offset(of: "return total", in: text)
        let focused = ContextExtractor.focused(input(text, cursor..<cursor), lineNumbers: false)
        #expect(!focused.wholeFile)
        #expect(focused.context.selection == lineIndex("def average_price", in: text)..<(lineIndex("return 0.0", in: text) + 1))
        #expect(focused.context.header == 1..<7)
        #expect(focused.context.cursor == nil)
    }

    @Test func aSelectionCoversTheLinesItTouches() {
        let (text, selection) = marked("a = 1\nb = ⟨2\nc = 3\n⟩d = 4\n")
        let focused = ContextExtractor.focused(input(text, selection), lineNumbers: false)
        #expect(focused.focus == 1..<3)
        #expect(focused.context.selection == 1..<3)
    }

    @Test func outOfRangeSelectionsAreClamped() {
        let focused = ContextExtractor.focused(input("a\nb", 2..<500), lineNumbers: false)
        #expect(focused.focus == 1..<2)
    }

    @Test func insertionAtACursor() {
        let (text, cursor) = marked("def f(x):\n    y = ‸x + 1\n    return y\n")
        let insertion = ContextExtractor.insertion(input(text, cursor))
        #expect(insertion.replace == cursor)
        #expect(insertion.replacedLines == nil)
        #expect(insertion.lead == "    y = ")
        #expect(insertion.tail == "x + 1")
        #expect(insertion.context.cursor == CodeContext.Cursor(line: 1, utf8Column: 8))
        #expect(insertion.context.selection == 0..<3)
        #expect(Array(insertion.linesBefore) == ["def f(x):"])
        #expect(Array(insertion.linesAfter) == ["    return y", ""])
        #expect(insertion.indentUnit == "    ")
    }

    @Test func insertionWithoutASelectionGoesAtTheEnd() {
        let insertion = ContextExtractor.insertion(input("x = 1\n", nil))
        #expect(insertion.replace == 6..<6)
        #expect(insertion.context.cursor == CodeContext.Cursor(line: 1, utf8Column: 0))
    }

    @Test func aSelectionToCompleteIsWidenedToWholeLines() {
        let (text, selection) = marked("def f(x):\n    # TODO: ⟨double x⟩\n    pass\n")
        let insertion = ContextExtractor.insertion(input(text, selection))
        #expect(insertion.replacedLines == 1..<2)
        #expect(insertion.replace == 10..<30)
        #expect(insertion.context.cursor == nil)
        #expect(insertion.context.selection == 1..<2)
    }
}
