import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

@Suite struct ReindenterTests {
    @Test func relativeCodeAfterIndentationIsIndentedToTheCursor() {
        let code = ["for item in items:", "    total += item"]
        #expect(Reindenter.fitInsertion(code, lead: "    ", tail: "", unit: "    ") == "for item in items:\n        total += item")
    }

    @Test func absoluteCodeKeepsItsIndentation() {
        // Written as in the file, first line included.
        let chat = ["    for item in items:", "        total += item"]
        #expect(Reindenter.fitInsertion(chat, lead: "    ", tail: "", unit: "    ") == "for item in items:\n        total += item")
        // An infill sample: the first line starts at the cursor, the rest as in the file.
        let infill = ["x = 1", "    y = 2"]
        #expect(Reindenter.fitInsertion(infill, lead: "    ", tail: "", unit: "    ") == "x = 1\n    y = 2")
    }

    @Test func atColumnZeroTheCodeIsKept() {
        #expect(Reindenter.fitInsertion(["def f():", "    pass"], lead: "", tail: "", unit: "    ") == "def f():\n    pass")
    }

    @Test func afterABlockOpenerTheCodeStartsOnANewDeeperLine() {
        #expect(Reindenter.fitInsertion(["return 1"], lead: "    def f(self):", tail: "", unit: "    ")
            == "\n        return 1")
        #expect(Reindenter.fitInsertion(["return 1;"], lead: "int f() {", tail: "", unit: "\t") == "\n\treturn 1;")
        // After a restated line (empty first line), too.
        #expect(Reindenter.fitInsertion(["", "return 1"], lead: "    x = 2", tail: "", unit: "    ") == "\n    return 1")
    }

    @Test func midLineTheCodeContinuesTheLine() {
        #expect(Reindenter.fitInsertion(["sum(prices)"], lead: "    total = ", tail: "", unit: "    ") == "sum(prices)")
        let call = ["a,", "b"]
        #expect(Reindenter.fitInsertion(call, lead: "    f(", tail: ")", unit: "    ") == "a,\n    b")
    }

    @Test func replacementsTakeTheIndentationOfTheReplacedLines() {
        #expect(Reindenter.fitReplacement(["if x:", "    return 1"], base: "    ") == "    if x:\n        return 1")
        #expect(Reindenter.fitReplacement(["        if x:", "            return 1"], base: "    ")
            == "    if x:\n        return 1")
        #expect(Reindenter.fitReplacement(["a = 1", "", "b = 2"], base: "  ") == "  a = 1\n\n  b = 2")
    }

    /// An infill sample at an indented empty line whose first line carries 4 stray spaces while
    /// the rest are at the file's indentation: the rest stay, the first line takes the cursor's.
    @Test func aStrayIndentedFirstLineDoesNotShiftTheRest() {
        let infill = ["    w = self.weakcontainer()", "        if w is not None:", "            w._iterating.add(self)", "        return self"]
        #expect(Reindenter.fitInsertion(infill, lead: "        ", tail: "", unit: "    ")
            == "w = self.weakcontainer()\n        if w is not None:\n            w._iterating.add(self)\n        return self")
        // A first line that opens a block keeps the rest nested under it.
        let nested = ["    if w is not None:", "        w.add(self)"]
        #expect(Reindenter.fitInsertion(nested, lead: "        ", tail: "", unit: "    ") == "if w is not None:\n            w.add(self)")
    }

    /// An infill sample that ran past the body into the file's next function, at column 0: the
    /// body's lines are already at the file's indentation, and nothing shifts (the clean-up cuts
    /// the next function).
    @Test func anInfillSampleThatRanPastTheBodyKeepsItsIndentation() {
        let infill = [
            "version = probe()", "    if version >= (10, 15):", "        return True", "    return False", "",
            "def supports_xcode():", "    return True",
        ]
        #expect(Reindenter.fitInsertion(infill, lead: "    ", tail: "", unit: "    ") == infill.joined(separator: "\n"))
    }

    /// Under a first line that opens a block, lines one step deeper than the cursor and then back
    /// at it are the file's indentation: the block's body, then the next statement.
    @Test func aBlockThenTheNextStatementAtTheCursorAreAbsolute() {
        let infill = ["if x:", "        return 1", "    return 2"]
        #expect(Reindenter.fitInsertion(infill, lead: "    ", tail: "", unit: "    ") == "if x:\n        return 1\n    return 2")
        // Written relative to its first line, the same code is indented to the cursor.
        let relative = ["if x:", "    return 1", "return 2"]
        #expect(Reindenter.fitInsertion(relative, lead: "    ", tail: "", unit: "    ") == "if x:\n        return 1\n    return 2")
    }

    /// An infill sample whose first line opens a block and carries stray spaces of its own, the
    /// lines after it at the file's indentation: they stay; an answer indented as a whole is
    /// re-indented from its first line.
    @Test func aStrayIndentedBlockOpenerKeepsTheFilesIndentationBelowIt() {
        let infill = ["    if node not in self.info:", "            self.info[node] = Info(node)", "        return self.info[node]"]
        #expect(Reindenter.fitInsertion(infill, lead: "        ", tail: "", unit: "    ")
            == "if node not in self.info:\n            self.info[node] = Info(node)\n        return self.info[node]")
        let indented = ["            if x:", "                y()", "            return z"]
        #expect(Reindenter.fitInsertion(indented, lead: "        ", tail: "", unit: "    ") == "if x:\n            y()\n        return z")
    }
}
