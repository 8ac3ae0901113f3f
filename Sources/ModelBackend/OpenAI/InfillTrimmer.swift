/// Cleans what an instruct model writes into a fill-in-the-middle hole.
///
/// Such a model often runs past the hole: it repeats the text after the cursor (the suffix),
/// closes a markdown fence and starts explaining. `stopSequences` ends generation early where
/// that is safe, and `trim` cuts the completion where the suffix starts again:
/// 1. at a markdown fence line, unless the file itself contains fences;
/// 2. at the first line from which the completion repeats the suffix's first non-blank lines
///    (two lines when both have them; a single line only when it is distinctive, so a closing
///    `}` of an inner block is not mistaken for the suffix's);
/// 3. by removing a tail of the completion that overlaps the start of the suffix: white space,
///    closing brackets and quotes (`)` before a suffix starting with `)`), or three or more
///    visible characters of any kind.
public enum InfillTrimmer {
    /// Stop sequences for an infill request: the caller's, a markdown fence (unless the file has
    /// fences), and the suffix's first line when it is distinctive.
    public static func stopSequences(for request: InfillRequest) -> [String] {
        var stop = request.options.stop
        if !(request.prefix.contains("```") || request.suffix.contains("```")) {
            stop.append("\n```")
        }
        if let line = nonBlankLines(request.suffix).first, isDistinctive(line) {
            stop.append(line)
        }
        var seen = Set<String>()
        return stop.filter { seen.insert($0).inserted }
    }

    /// `completion` without what repeats the suffix or follows it.
    public static func trim(_ completion: String, prefix: String, suffix: String) -> String {
        var text = completion
        if !(prefix.contains("```") || suffix.contains("```")) {
            text = cutAtFence(text, suffix: suffix)
        }
        text = cutAtRepeatedSuffix(text, suffix: suffix)
        text = removeOverlap(text, suffix: suffix)
        return text
    }

    static func cutAtFence(_ text: String, suffix: String) -> String {
        var offset = text.startIndex
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmed().hasPrefix("```") {
                return endOfCut(String(text[..<offset]), suffix: suffix)
            }
            offset = text.index(line.endIndex, offsetBy: 1, limitedBy: text.endIndex) ?? text.endIndex
        }
        return text
    }

    static func cutAtRepeatedSuffix(_ text: String, suffix: String) -> String {
        let suffixLines = nonBlankLines(suffix)
        guard !suffixLines.isEmpty else { return text }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var starts: [String.Index] = []
        var offset = text.startIndex
        for line in lines {
            starts.append(offset)
            offset = text.index(line.endIndex, offsetBy: 1, limitedBy: text.endIndex) ?? text.endIndex
        }
        for (position, line) in lines.enumerated() {
            let trimmedLine = line.trimmed()
            guard !trimmedLine.isEmpty, trimmedLine == suffixLines[0] else { continue }
            let rest = lines[position...].map { $0.trimmed() }.filter { !$0.isEmpty }
            let needed = min(2, suffixLines.count, rest.count)
            let matched = zip(rest, suffixLines).prefix(needed).allSatisfy { $0 == $1 }
            guard matched else { continue }
            if needed == 1 && !isDistinctive(suffixLines[0]) { continue }
            return endOfCut(String(text[..<starts[position]]), suffix: suffix)
        }
        return text
    }

    /// A completion cut at a line start ends with a newline; the suffix supplies it again when
    /// it starts with one (the cursor was at the end of a line).
    static func endOfCut(_ kept: String, suffix: String) -> String {
        let suffixStartsLine = suffix.drop(while: { $0 == " " || $0 == "\t" }).first?.isNewline ?? false
        return suffixStartsLine ? kept.droppingTrailingNewline() : kept
    }

    static func removeOverlap(_ text: String, suffix: String) -> String {
        let maximum = min(text.count, suffix.count)
        guard maximum > 0 else { return text }
        for length in stride(from: maximum, through: 1, by: -1) {
            let tail = text.suffix(length)
            guard suffix.hasPrefix(tail) else { continue }
            let content = tail.filter { !$0.isWhitespace }
            let closers = content.allSatisfy { ")]}\"';,".contains($0) }
            if closers || content.count >= 3 {
                return String(text.dropLast(length))
            }
        }
        return text
    }

    /// A line long enough that finding it again is not a coincidence.
    static func isDistinctive(_ line: String) -> Bool {
        line.filter { !$0.isWhitespace && !"{}()[];,".contains($0) }.count >= 6
    }

    static func nonBlankLines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmed() }.filter { !$0.isEmpty }
    }
}

extension StringProtocol {
    fileprivate func trimmed() -> String {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}

extension String {
    fileprivate func droppingTrailingNewline() -> String {
        var text = self
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }
}
