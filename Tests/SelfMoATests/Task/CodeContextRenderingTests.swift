import ModelBackend
import Testing
@testable import SelfMoA

@Suite struct CodeContextRenderingTests {
    private let lines = ["import Foundation", "", "func a() {}", "func b() {}", "func c() {}"]

    @Test func rendersTheWholeFileAndRepeatsAPartialSelection() {
        let context = CodeContext(fileName: "x.swift", language: "swift", lines: lines, selection: 3..<4)
        let task = SelfMoATask(system: "S", instruction: "Explain.", context: context)
        #expect(task.messages == [.system("S"), .user("""
            File: x.swift (swift)

            ```swift
            import Foundation

            func a() {}
            func b() {}
            func c() {}
            ```

            Selected code (line 4):

            ```swift
            func b() {}
            ```

            Explain.
            """)])
    }

    /// Code from another file comes before the file, under its name, in a chat and as the
    /// infill request's extra context.
    @Test func relatedCodeComesFirst() {
        var context = CodeContext(
            fileName: "x.c", language: "c", lines: ["int f(box * b) {", "    ", "}"], selection: 0..<3,
            cursor: CodeContext.Cursor(line: 1, utf8Column: 4))
        context.related = [RelatedCode(fileName: "../box.h", text: "struct box { int n; };")]
        let task = SelfMoATask(system: "S", instruction: "Write.", context: context)
        #expect(task.messages[1].content.hasPrefix("From ../box.h, which the file uses:\n\n```c\nstruct box { int n; };\n```\n\nFile: x.c (c)\n"))
        let parts = context.infillParts(ContextView.whole(context))
        #expect(parts.extra == [InfillFile(name: "../box.h", text: "struct box { int n; };")])
        #expect(parts.prefix == "int f(box * b) {\n    ")
    }

    /// The instruction first, then only the code: no file heading, no repeated selection.
    @Test func instructionFirstIntroducesTheFencedCode() {
        let context = CodeContext(fileName: "x.swift", language: "swift", lines: lines, selection: 3..<4, header: 0..<1)
        let task = SelfMoATask(system: "S", instruction: "Complete `b` in this file:", context: context, instructionFirst: true)
        #expect(task.messages == [.system("S"), .user("Complete `b` in this file:\n```swift\n" + lines.joined(separator: "\n") + "\n```")])
        let trimmed = task.userMessage(showing: ContextView(window: 3..<4, header: 0..<1))
        #expect(trimmed.hasPrefix("Complete `b` in this file:\nOnly 2 of its 5 lines are shown; ⋮ marks lines left out.\n```swift\n"))
        #expect(trimmed.contains("func b() {}") && !trimmed.contains("func a() {}") && !trimmed.contains("File:"))
    }

    @Test func doesNotRepeatAWholeFileSelection() {
        let context = CodeContext(fileName: "x.swift", language: "swift", lines: lines, selection: 0..<5)
        #expect(!context.render(.whole(context)).contains("Selected code"))
    }

    @Test func marksOmissionsAndNumbersLines() {
        let context = CodeContext(
            fileName: "x.swift", language: "swift", lines: lines, selection: 3..<4, header: 0..<1, lineNumbers: true
        )
        let rendered = context.render(ContextView(window: 3..<4, header: 0..<1))
        #expect(rendered.contains("Only 2 of its 5 lines are shown"))
        #expect(rendered.contains("1 | import Foundation\n⋮ (lines 2–3 left out)\n4 | func b() {}\n⋮ (line 5 left out)"))
    }

    @Test func marksTheCursor() {
        let context = CodeContext(
            fileName: "x.py", language: "python", text: "x = 1\nprint(é)\r\n", selection: 1..<2,
            cursor: CodeContext.Cursor(line: 1, utf8Column: 6)
        )
        #expect(context.lines == ["x = 1", "print(é)", ""])
        let rendered = context.render(.whole(context))
        #expect(rendered.contains("print(<CURSOR>é)"))
        #expect(!rendered.contains("Selected code"))
        let parts = context.infillParts(.whole(context))
        #expect(parts.prefix == "x = 1\nprint(")
        #expect(parts.suffix == "é)\n")
    }

    @Test func infillPutsADetachedHeaderInTheExtraContext() {
        let context = CodeContext(
            fileName: "x.swift", language: "swift", lines: lines, selection: 3..<4, header: 0..<1,
            cursor: CodeContext.Cursor(line: 3, utf8Column: 0)
        )
        let parts = context.infillParts(ContextView(window: 3..<5, header: 0..<1))
        #expect(parts.extra == [InfillFile(name: "x.swift", text: "import Foundation\n")])
        #expect(parts.prefix == "")
        #expect(parts.suffix == "func b() {}\nfunc c() {}")
    }

    @Test func validatesRangesAndCursor() {
        let outside = CodeContext(fileName: "x", language: "", lines: lines, selection: 3..<9)
        #expect(throws: SelfMoAError(.invalidTask, "")) { try outside.validate() }
        let cursorOutsideSelection = CodeContext(
            fileName: "x", language: "", lines: lines, selection: 0..<1, cursor: CodeContext.Cursor(line: 3, utf8Column: 0)
        )
        #expect(throws: SelfMoAError(.invalidTask, "")) { try cursorOutsideSelection.validate() }
        let column = CodeContext(
            fileName: "x", language: "", lines: lines, selection: 0..<0, cursor: CodeContext.Cursor(line: 2, utf8Column: 99)
        )
        #expect(throws: SelfMoAError(.invalidTask, "")) { try column.validate() }
    }
}
