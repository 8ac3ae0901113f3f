/// Best-effort cleanup of a fill-in-the-middle sample.
///
/// Instruct models asked to infill often run on past the hole: they repeat the suffix (the next
/// line of the file, a closing brace) and close a code fence. This cuts the sample at a fence
/// line, and where it starts repeating the suffix — the first non-blank line after the cursor's
/// line, matched exactly with its indentation (and the line after it too, when both exist) —
/// then drops trailing blank lines.
enum InfillCleanup {
    static func clean(_ text: String, suffix: String) -> String {
        var lines = text.lines()
        if let fence = lines.firstIndex(where: { $0.strippingWhitespace().hasPrefix("```") }) {
            lines = Array(lines[..<fence])
        }
        let anchors = suffix.lines()
            .dropFirst()
            .map { $0.strippingTrailingWhitespace() }
            .filter { !$0.isEmpty }
            .prefix(2)
        if let first = anchors.first {
            let next = anchors.dropFirst().first
            let repeatStart = lines.indices.first { index in
                guard lines[index].strippingTrailingWhitespace() == first else { return false }
                guard let next, index + 1 < lines.count else { return true }
                return lines[index + 1].strippingTrailingWhitespace() == next
            }
            if let repeatStart { lines = Array(lines[..<repeatStart]) }
        }
        while let last = lines.last, last.strippingWhitespace().isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n")
    }
}

extension StringProtocol {
    /// The lines of the text, split at `\n` or `\r\n` (one `Character` in Swift), without terminators.
    func lines() -> [String] {
        String(self).split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map(String.init)
    }

    func strippingWhitespace() -> String {
        String(drop { $0.isWhitespace }).strippingTrailingWhitespace()
    }

    func strippingTrailingWhitespace() -> String {
        var text = String(self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return text
    }
}
