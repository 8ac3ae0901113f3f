/// The byte offset where each line of a UTF-8 text starts, for O(log n) conversions between
/// offsets and lines. Lines end at `\n` (a `\r` before it belongs to the line ending).
public struct LineIndex: Sendable, Hashable {
    /// `starts[k]` is the UTF-8 offset of line k's first byte; `starts[0] == 0`.
    public private(set) var starts: [Int]

    public init(_ bytes: some Collection<UInt8>) {
        var starts = [0]
        var offset = 0
        for byte in bytes {
            offset += 1
            if byte == 0x0A { starts.append(offset) }
        }
        self.starts = starts
    }

    /// Number of lines (a text ending in `\n` has an empty last line).
    public var lineCount: Int { starts.count }

    /// The line holding `offset` (clamped to the text).
    public func line(containing offset: Int) -> Int {
        var low = 0
        var high = starts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if starts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// Updates the index after bytes `range` were replaced by `replacement`.
    public mutating func replace(_ range: Range<Int>, with replacement: some Collection<UInt8>) {
        let firstLine = line(containing: range.lowerBound)
        // Line starts inside (lowerBound, upperBound] disappear with the replaced bytes.
        var removeEnd = firstLine + 1
        while removeEnd < starts.count && starts[removeEnd] <= range.upperBound { removeEnd += 1 }
        var inserted: [Int] = []
        var offset = range.lowerBound
        for byte in replacement {
            offset += 1
            if byte == 0x0A { inserted.append(offset) }
        }
        let delta = replacement.count - range.count
        if delta != 0 {
            for index in removeEnd..<starts.count { starts[index] += delta }
        }
        starts.replaceSubrange((firstLine + 1)..<removeEnd, with: inserted)
    }
}
