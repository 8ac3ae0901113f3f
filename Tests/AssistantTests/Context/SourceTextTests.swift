import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

@Suite struct SourceTextTests {
    @Test func splitsLinesAndKnowsTheirOffsets() {
        let source = SourceText("ab\r\nçd\n\nlast")
        #expect(source.lines == ["ab", "çd", "", "last"])
        #expect(source.lineStarts == [0, 4, 8, 9])
        #expect(source.contentLengths == [2, 3, 0, 4])
        #expect(SourceText("x\n").lines == ["x", ""])
    }

    @Test func positionsAreClampedToContentAndScalars() {
        let source = SourceText("ab\r\nçd")
        #expect(source.position(of: 1) == (0, 1))
        #expect(source.position(of: 3) == (0, 2))  // inside "\r\n"
        #expect(source.position(of: 5) == (1, 0))  // inside "ç"
        #expect(source.position(of: 7) == (1, 3))
        #expect(source.position(of: 99) == (1, 3))
        #expect(source.position(of: -4) == (0, 0))
    }

    @Test func linesCoveringARange() {
        let source = SourceText("one\ntwo\nthree\n")
        #expect(source.lines(covering: 1..<6) == 0..<2)
        // Ending at the start of a line (a line-wise selection) leaves that line out.
        #expect(source.lines(covering: 4..<8) == 1..<2)
        #expect(source.byteRange(ofLines: 1..<3) == 4..<13)
    }

    @Test func inputHelpersConvertLinesAndCharacterColumns() {
        let text = "héllo\nworld"
        #expect(ActionInput.byteRange(lines: 0...0, in: text) == 0..<6)
        #expect(ActionInput.byteRange(lines: 1...9, in: text) == 7..<12)
        #expect(ActionInput.byteOffset(line: 0, characters: 2, in: text) == 3)
        #expect(ActionInput.byteOffset(line: 1, characters: nil, in: text) == 12)
    }
}
