/// Finds a file's header: its package line, imports and includes, which the engine keeps when
/// it has to trim the file around the selection.
///
/// Scans from the top over blank lines, comments, docstrings and preprocessor lines, and stops
/// at the first line of real code. The header runs from the first import-like line to the last
/// one (an import spread over lines, `import {` … `} from "x"`, counts whole); a license comment
/// above the imports is left out. Only the first `scannedLines` lines are read.
enum HeaderFinder {
    static let scannedLines = 200

    static func header(in lines: [String]) -> Range<Int> {
        var first: Int?
        var last: Int?
        var index = 0
        let end = min(lines.count, scannedLines)
        while index < end {
            let text = lines[index].trimmed
            if text.isEmpty {
                index += 1
            } else if let close = blockEnd(lines, index, opener: "/*", closer: "*/")
                        ?? blockEnd(lines, index, opener: "\"\"\"", closer: "\"\"\"")
                        ?? blockEnd(lines, index, opener: "'''", closer: "'''") {
                index = close + 1
            } else if SourceLine.isImport(text) {
                var stop = index
                var balance = SourceLine.bracketBalance(text)
                while balance > 0, stop + 1 < lines.count, stop - index < 50 {
                    stop += 1
                    balance += SourceLine.bracketBalance(lines[stop])
                }
                if first == nil { first = index }
                last = stop
                index = stop + 1
            } else if SourceLine.isComment(text) || text.hasPrefix("#!") {
                index += 1
            } else {
                break
            }
        }
        guard let first, let last else { return 0..<0 }
        return first..<(last + 1)
    }

    /// For a line starting a multi-line comment or docstring, the line that closes it.
    private static func blockEnd(_ lines: [String], _ index: Int, opener: String, closer: String) -> Int? {
        let text = lines[index].trimmed
        guard text.hasPrefix(opener) else { return nil }
        if text.dropFirst(opener.count).contains(closer) { return index }
        return lines.indices.dropFirst(index + 1).first { lines[$0].contains(closer) } ?? lines.count - 1
    }
}
