/// Indentation helpers shared by the context heuristics and code clean-up. A tab counts as
/// four columns.
enum Indentation {
    static let tabWidth = 4

    /// The leading spaces and tabs of `line`.
    static func prefix(of line: some StringProtocol) -> String {
        String(line.prefix { $0 == " " || $0 == "\t" })
    }

    /// The width of the leading whitespace of `line`.
    static func width(of line: some StringProtocol) -> Int {
        prefix(of: line).reduce(0) { $0 + ($1 == "\t" ? tabWidth : 1) }
    }

    /// `line` without up to `width` columns of leading whitespace.
    static func removing(_ width: Int, from line: String) -> String {
        var removed = 0
        var index = line.startIndex
        while index < line.endIndex, removed < width {
            let character = line[index]
            guard character == " " || character == "\t" else { break }
            removed += character == "\t" ? tabWidth : 1
            index = line.index(after: index)
        }
        return String(line[index...])
    }

    /// The indentation step of a file: a tab when its indented lines start with tabs, else the
    /// most common increase in spaces between consecutive non-blank lines (4 when unclear).
    static func unit(of lines: [String]) -> String {
        let indented = lines.filter { !$0.isBlank && ($0.first == " " || $0.first == "\t") }
        let tabbed = indented.filter { $0.first == "\t" }.count
        if !indented.isEmpty, tabbed * 2 > indented.count { return "\t" }
        var counts: [Int: Int] = [:]
        var previous: Int?
        for line in lines where !line.isBlank {
            let width = width(of: line)
            if let previous, width > previous { counts[width - previous, default: 0] += 1 }
            previous = width
        }
        let best = counts.filter { $0.key <= 8 }.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key ?? 4
        return String(repeating: " ", count: best)
    }
}

extension StringProtocol {
    /// Empty or only whitespace.
    var isBlank: Bool { allSatisfy(\.isWhitespace) }

    /// Without leading and trailing whitespace.
    var trimmed: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }

    /// Without trailing whitespace.
    var trailingTrimmed: String {
        guard let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[...last])
    }

    /// The lines of the text, split at `\n` or `\r\n`, without terminators.
    var splitLines: [String] {
        String(self).split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map(String.init)
    }
}
