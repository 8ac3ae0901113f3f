import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

/// The block around a cursor, per language.
@Suite struct BlockFinderTests {
    private func block(_ text: String, at needle: String) -> Range<Int> {
        BlockFinder.enclosingBlock(in: text.splitLines, around: lineIndex(needle, in: text))
    }

    private func range(_ text: String, from first: String, to last: String) -> Range<Int> {
        let start = lineIndex(first, in: text)
        let lines = text.splitLines
        let end = lines.indices.dropFirst(start).first { lines[$0].contains(last) }!
        return start..<(end + 1)
    }

    @Test func pythonFunctionAroundANestedLine() {
        let text = Samples.python
        #expect(block(text, at: "return total / len") == range(text, from: "def average_price", to: "return 0.0"))
    }

    @Test func pythonMethodInsideAClass() {
        let text = Samples.python
        #expect(block(text, at: "return self.price") == range(text, from: "def total", to: "return self.price"))
    }

    @Test func pythonDecoratorAndCommentsAreIncluded() {
        let text = Samples.python
        #expect(block(text, at: "data = json.load") == range(text, from: "@cache", to: "return [Item"))
    }

    @Test func pythonTopLevelStatementBlock() {
        let text = Samples.python
        #expect(block(text, at: "print(average_price") == range(text, from: "if __name__", to: "print(average_price"))
    }

    @Test func cursorOnAHeaderTakesItsBlock() {
        let text = Samples.python
        #expect(block(text, at: "def average_price") == range(text, from: "def average_price", to: "return 0.0"))
        #expect(block(text, at: "class Item") == range(text, from: "@dataclass", to: "return self.price"))
    }

    @Test func emptyLineInsideAFunction() {
        let text = "def f(x):\n    a = 1\n\n    return a\n\nprint(f(2))"
        #expect(BlockFinder.enclosingBlock(in: text.splitLines, around: 2) == 0..<4)
    }

    @Test func swiftSignatureOverSeveralLines() {
        let text = Samples.swift
        // From the doc comment to the closing brace after `return items.count`.
        let expected = lineIndex("/// Adds", in: text)..<(lineIndex("return items.count", in: text) + 2)
        #expect(block(text, at: "items.append(item)") == expected)
    }

    @Test func swiftComputedProperty() {
        let text = Samples.swift
        let start = lineIndex("var total: Double", in: text)
        #expect(block(text, at: "items.reduce") == start..<(start + 3))
    }

    @Test func cursorOnAClosingBraceTakesTheBlockItCloses() {
        let text = "func a() {\n    one()\n}\n\nfunc b() {\n    two()\n}"
        #expect(BlockFinder.enclosingBlock(in: text.splitLines, around: 6) == 4..<7)
    }

    @Test func javaScriptArrowFunctionWithItsClosingLine() {
        let text = Samples.javaScript
        #expect(block(text, at: "return cache.get") == range(text, from: "export const loadConfig", to: "};"))
    }

    @Test func javaScriptClassMethod() {
        let text = Samples.javaScript
        let expected = lineIndex("count() {", in: text)..<(lineIndex("return this.items", in: text) + 2)
        #expect(block(text, at: "return this.items.length") == expected)
    }

    @Test func luaFunctionEndsAtEnd() {
        let text = Samples.lua
        // Through the `end` after `return value`, not the `end` of the `if`.
        let expected = lineIndex("local function parse", in: text)..<(lineIndex("return value", in: text) + 2)
        #expect(block(text, at: "return nil") == expected)
    }

    @Test func lispDefun() {
        let text = Samples.lisp
        #expect(block(text, at: "(setq total") == range(text, from: "(defun my-sum", to: "total))"))
    }

    @Test func cFunctionWithAllmanBraces() {
        let text = Samples.c
        // From the return type's line to the closing brace.
        let expected = lineIndex("static int", in: text)..<(lineIndex("return count", in: text) + 2)
        #expect(block(text, at: "count++") == expected)
    }

    @Test func unindentedCodeFallsBackToTheParagraph() {
        let text = "x = 1\ny = 2\n\na = 3\nb = a + 1\nc = b * 2\n\nprint(c)"
        #expect(BlockFinder.enclosingBlock(in: text.splitLines, around: 4) == 3..<6)
        // A blank line between paragraphs takes the one above.
        #expect(BlockFinder.enclosingBlock(in: text.splitLines, around: 6) == 3..<7)
    }

    @Test func overlongFunctionsFallBackToAnInnerBlock() {
        var lines = ["def huge():", "    if ready:", "        go()", "        stop()"]
        lines += (0..<200).map { "    step(\($0))" }
        #expect(BlockFinder.enclosingBlock(in: lines, around: 2) == 1..<4)
    }
}
