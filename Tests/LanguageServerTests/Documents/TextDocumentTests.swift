import LanguageServer
import Testing

@Suite struct TextDocumentTests {
    let sample = "a😀b\nsecond line\r\nthird"

    @Test func utf16PositionsCountSurrogatePairs() {
        let document = TextDocument(uri: "file:///t", languageId: "txt", version: 1, text: sample)
        // "a" = 1 unit, "😀" = 2 units: "b" starts at UTF-16 column 3, UTF-8 byte 5.
        #expect(document.offset(of: Position(line: 0, character: 3), encoding: .utf16) == 5)
        #expect(document.offset(of: Position(line: 0, character: 5), encoding: .utf8) == 5)
        #expect(document.offset(of: Position(line: 0, character: 2), encoding: .utf32) == 5)
        #expect(document.position(of: 5, encoding: .utf16) == Position(line: 0, character: 3))
        #expect(document.position(of: 5, encoding: .utf32) == Position(line: 0, character: 2))
    }

    @Test func positionInsideASurrogatePairStaysBeforeIt() {
        let document = TextDocument(uri: "file:///t", languageId: "txt", version: 1, text: sample)
        #expect(document.offset(of: Position(line: 0, character: 2), encoding: .utf16) == 1)
    }

    @Test func outOfRangePositionsClamp() {
        let document = TextDocument(uri: "file:///t", languageId: "txt", version: 1, text: sample)
        // Past the line's end: the end of the line's content, before "\r\n".
        let secondLineEnd = document.offset(of: Position(line: 1, character: 999), encoding: .utf16)
        #expect(document.lineText(1) == "second line")
        #expect(String(decoding: document.bytes[secondLineEnd...], as: UTF8.self) == "\r\nthird")
        #expect(document.offset(of: Position(line: 99, character: 0), encoding: .utf16) == document.bytes.count)
        #expect(document.offset(of: Position(line: -3, character: -1), encoding: .utf16) == 0)
    }

    @Test func incrementalEditsKeepTheLineIndexExact() {
        var document = TextDocument(uri: "file:///t", languageId: "txt", version: 1, text: "one\ntwo\nthree\n")
        document.apply(range: LSPRange(start: Position(line: 0, character: 3), end: Position(line: 2, character: 0)),
                       text: "\nX\nY\nZ\n", encoding: .utf16)
        #expect(document.text == "one\nX\nY\nZ\nthree\n")
        #expect(document.lines == LineIndex(document.bytes))
        document.apply(range: LSPRange(start: Position(line: 1, character: 0), end: Position(line: 4, character: 0)),
                       text: "", encoding: .utf16)
        #expect(document.text == "one\nthree\n")
        #expect(document.lines == LineIndex(document.bytes))
        document.apply(range: nil, text: "whole\nnew", encoding: .utf16)
        #expect(document.lines.lineCount == 2)
    }

    @Test func randomEditsMatchAFullRebuild() {
        var generator = SplitMix(seed: 42)
        var document = TextDocument(uri: "file:///t", languageId: "txt", version: 1, text: "start\n")
        var mirror = Array("start\n".unicodeScalars)
        let alphabet: [Unicode.Scalar] = ["a", "b", "\n", "é", "😀", " "]
        for _ in 0..<500 {
            let a = Int(generator.next() % UInt64(mirror.count + 1))
            let b = min(mirror.count, a + Int(generator.next() % 5))
            let insert = (0..<Int(generator.next() % 6)).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] }
            let startOffset = String(String.UnicodeScalarView(mirror[0..<a])).utf8.count
            let endOffset = String(String.UnicodeScalarView(mirror[0..<b])).utf8.count
            let range = LSPRange(start: document.position(of: startOffset, encoding: .utf16),
                                 end: document.position(of: endOffset, encoding: .utf16))
            document.apply(range: range, text: String(String.UnicodeScalarView(insert)), encoding: .utf16)
            mirror.replaceSubrange(a..<b, with: insert)
            #expect(document.text == String(String.UnicodeScalarView(mirror)))
            #expect(document.lines == LineIndex(document.bytes))
        }
    }
}

/// A small deterministic generator for reproducible random tests.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
