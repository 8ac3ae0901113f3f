/// A document split into lines, with the UTF-8 byte offset where each line starts.
///
/// Lines end at `\n` (a preceding `\r` is not part of the line's content); the text after the
/// last `\n` is the last line, so a text ending in a newline has an empty last line.
struct SourceText: Sendable, Hashable {
    /// The lines without terminators.
    let lines: [String]
    /// Byte offset of each line's first byte.
    let lineStarts: [Int]
    /// Bytes of each line's content (without `\r\n` or `\n`).
    let contentLengths: [Int]
    /// Bytes of the whole text.
    let byteCount: Int
    private let bytes: [UInt8]

    init(_ text: String) {
        let bytes = Array(text.utf8)
        var lines: [String] = []
        var starts = [0]
        var lengths: [Int] = []
        var start = 0
        for index in bytes.indices where bytes[index] == 0x0A {
            var end = index
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            lines.append(String(decoding: bytes[start..<end], as: UTF8.self))
            lengths.append(end - start)
            start = index + 1
            starts.append(start)
        }
        lines.append(String(decoding: bytes[start...], as: UTF8.self))
        lengths.append(bytes.count - start)
        self.lines = lines
        self.lineStarts = starts
        self.contentLengths = lengths
        self.byteCount = bytes.count
        self.bytes = bytes
    }

    /// The line and the byte column within its content of `offset`, clamped to the text, to the
    /// line's content (an offset inside `\r\n` lands at the line's end) and down to the start of
    /// a UTF-8 scalar.
    func position(of offset: Int) -> (line: Int, column: Int) {
        let offset = min(max(offset, 0), byteCount)
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        var column = min(offset - lineStarts[low], contentLengths[low])
        while column > 0, column < contentLengths[low], bytes[lineStarts[low] + column] & 0xC0 == 0x80 { column -= 1 }
        return (low, column)
    }

    /// The byte offset of a line and column (clamped to the line's content).
    func offset(line: Int, column: Int) -> Int {
        let line = min(max(line, 0), lines.count - 1)
        return lineStarts[line] + min(max(column, 0), contentLengths[line])
    }

    /// The lines a non-empty byte range touches. A range ending at the very start of a line
    /// (a line-wise selection) does not include that line.
    func lines(covering range: Range<Int>) -> Range<Int> {
        let first = position(of: range.lowerBound).line
        guard range.upperBound > range.lowerBound else { return first..<(first + 1) }
        let last = position(of: range.upperBound - 1).line
        return first..<(max(first, last) + 1)
    }

    /// Bytes from the start of `lines.lowerBound` to the end of the content of the last line.
    func byteRange(ofLines range: Range<Int>) -> Range<Int> {
        guard !range.isEmpty else {
            let start = lineStarts[min(range.lowerBound, lines.count - 1)]
            return start..<start
        }
        let last = range.upperBound - 1
        return lineStarts[range.lowerBound]..<(lineStarts[last] + contentLengths[last])
    }

    /// The text of a line up to and after a byte column.
    func split(line: Int, column: Int) -> (before: String, after: String) {
        let start = lineStarts[line]
        let end = start + contentLengths[line]
        let cut = start + min(column, contentLengths[line])
        return (String(decoding: bytes[start..<cut], as: UTF8.self), String(decoding: bytes[cut..<end], as: UTF8.self))
    }
}
