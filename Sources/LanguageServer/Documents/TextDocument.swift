/// An open document: its bytes, version, language and line index, with position conversions in
/// any `PositionEncoding`. Out-of-range positions clamp to the nearest valid offset.
public struct TextDocument: Sendable {
    public let uri: String
    public var languageId: String
    public var version: Int
    public private(set) var bytes: [UInt8]
    public private(set) var lines: LineIndex

    public init(uri: String, languageId: String, version: Int, text: String) {
        self.uri = uri
        self.languageId = languageId
        self.version = version
        self.bytes = Array(text.utf8)
        self.lines = LineIndex(bytes)
    }

    /// The whole text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Byte range of line `line`'s content, without its line ending.
    public func contentRange(ofLine line: Int) -> Range<Int> {
        let start = lines.starts[line]
        var end = line + 1 < lines.lineCount ? lines.starts[line + 1] : bytes.count
        if end > start && bytes[end - 1] == 0x0A { end -= 1 }
        if end > start && bytes[end - 1] == 0x0D { end -= 1 }
        return start..<end
    }

    /// The text of line `line` without its line ending ("" past the end).
    public func lineText(_ line: Int) -> String {
        guard line >= 0 && line < lines.lineCount else { return "" }
        return String(decoding: bytes[contentRange(ofLine: line)], as: UTF8.self)
    }

    /// The UTF-8 offset of `position`, clamped: a line past the end maps to the end of the text,
    /// a character past the line's end to the line's end, negative values to 0.
    public func offset(of position: Position, encoding: PositionEncoding) -> Int {
        if position.line < 0 { return 0 }
        if position.line >= lines.lineCount { return bytes.count }
        let content = contentRange(ofLine: position.line)
        var remaining = max(0, position.character)
        var offset = content.lowerBound
        while remaining > 0 && offset < content.upperBound {
            let length = Self.scalarLength(bytes[offset])
            let units: Int
            switch encoding {
            case .utf8: units = length
            case .utf16: units = length == 4 ? 2 : 1
            case .utf32: units = 1
            }
            if units > remaining { break }  // inside a surrogate pair: stay before it
            remaining -= units
            offset = min(offset + length, content.upperBound)
        }
        return offset
    }

    /// The position of UTF-8 `offset` (clamped to the text; an offset inside a character maps to
    /// that character's start).
    public func position(of offset: Int, encoding: PositionEncoding) -> Position {
        let offset = min(max(0, offset), bytes.count)
        let line = lines.line(containing: offset)
        var index = lines.starts[line]
        var character = 0
        while index < offset {
            let length = Self.scalarLength(bytes[index])
            if index + length > offset { break }
            switch encoding {
            case .utf8: character += length
            case .utf16: character += length == 4 ? 2 : 1
            case .utf32: character += 1
            }
            index += length
        }
        return Position(line: line, character: character)
    }

    /// Byte range of an LSP range (clamped; a reversed range is normalised).
    public func byteRange(of range: LSPRange, encoding: PositionEncoding) -> Range<Int> {
        let a = offset(of: range.start, encoding: encoding)
        let b = offset(of: range.end, encoding: encoding)
        return min(a, b)..<max(a, b)
    }

    /// The text in `range`.
    public func text(in range: LSPRange, encoding: PositionEncoding) -> String {
        String(decoding: bytes[byteRange(of: range, encoding: encoding)], as: UTF8.self)
    }

    /// Applies one change from `didChange`: a range replacement, or the whole text when `range`
    /// is nil.
    public mutating func apply(range: LSPRange?, text: String, encoding: PositionEncoding) {
        let replacement = Array(text.utf8)
        guard let range else {
            bytes = replacement
            lines = LineIndex(bytes)
            return
        }
        let bytesRange = byteRange(of: range, encoding: encoding)
        lines.replace(bytesRange, with: replacement)
        bytes.replaceSubrange(bytesRange, with: replacement)
    }

    /// The range covering the whole document.
    public func fullRange(encoding: PositionEncoding) -> LSPRange {
        LSPRange(start: Position(line: 0, character: 0), end: position(of: bytes.count, encoding: encoding))
    }

    private static func scalarLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0..<0x80: return 1
        case 0xC0..<0xE0: return 2
        case 0xE0..<0xF0: return 3
        case 0xF0...0xFF: return 4
        default: return 1  // a continuation byte where a lead was expected: step over it
        }
    }
}
