import ModelBackend

/// The one clean-up of a fill-in-the-middle sample, applied by the engine to every infill
/// proposal and single answer (the backend returns what the model wrote).
///
/// Instruct models asked to infill often run past the hole: they repeat the text after the
/// cursor (the suffix), close a markdown fence and start explaining. `clean` cuts the sample:
/// 1. at a markdown fence line, unless the file itself contains fences;
/// 2. at the first line from which it repeats the suffix's first non-blank lines (two lines
///    when both have them; a single line only when it is distinctive, so a closing `}` of an
///    inner block is not mistaken for the suffix's);
/// 3. by removing a tail that overlaps the start of the suffix: white space, closing brackets
///    and quotes (`)` before a suffix starting with `)`), or three or more visible characters;
/// 4. by dropping trailing blank lines (the action fits the code to the lines around it).
///
/// A sample cut at 1 or 2 ended its code before the token cap, even when the cap stopped it in
/// what was cut (`cleaned`): it is not reported as cut off.
///
/// The request side — stop sequences that end generation early where that is safe — is
/// `InfillStops` in the backend.
enum InfillCleanup {
    static func clean(_ completion: String, prefix: String, suffix: String) -> String {
        cleaned(completion, finishReason: nil, prefix: prefix, suffix: suffix).text
    }

    /// The sample cleaned, and its finish reason: a sample the token cap stopped (`length`)
    /// that is cut at a fence or where it repeats the suffix ran past its code, which ended
    /// before the cap, so it is not cut off (`stop`).
    static func cleaned(
        _ completion: String, finishReason: String?, prefix: String, suffix: String
    ) -> (text: String, finishReason: String?) {
        var text = completion
        if !(prefix.contains("```") || suffix.contains("```")) {
            text = cutAtFence(text, suffix: suffix)
        }
        text = cutAtRepeatedSuffix(text, suffix: suffix)
        let ended = text.count < completion.count
        text = removeOverlap(text, suffix: suffix)
        var lines = text.lines()
        while let last = lines.last, last.strippingWhitespace().isEmpty { lines.removeLast() }
        return (lines.joined(separator: "\n"), ended && finishReason == "length" ? "stop" : finishReason)
    }

    static func cutAtFence(_ text: String, suffix: String) -> String {
        var offset = text.startIndex
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.trimmedOfWhitespace().hasPrefix("```") {
                return endOfCut(String(text[..<offset]), suffix: suffix)
            }
            offset = text.index(line.endIndex, offsetBy: 1, limitedBy: text.endIndex) ?? text.endIndex
        }
        return text
    }

    static func cutAtRepeatedSuffix(_ text: String, suffix: String) -> String {
        let suffixLines = InfillStops.nonBlankLines(suffix)
        guard !suffixLines.isEmpty else { return text }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var starts: [String.Index] = []
        var offset = text.startIndex
        for line in lines {
            starts.append(offset)
            offset = text.index(line.endIndex, offsetBy: 1, limitedBy: text.endIndex) ?? text.endIndex
        }
        for (position, line) in lines.enumerated() {
            let trimmedLine = line.trimmedOfWhitespace()
            guard !trimmedLine.isEmpty, trimmedLine == suffixLines[0] else { continue }
            let rest = lines[position...].map { $0.trimmedOfWhitespace() }.filter { !$0.isEmpty }
            let needed = min(2, suffixLines.count, rest.count)
            let matched = zip(rest, suffixLines).prefix(needed).allSatisfy { $0 == $1 }
            guard matched else { continue }
            if needed == 1 && !InfillStops.isDistinctive(suffixLines[0]) { continue }
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

}

extension StringProtocol {
    fileprivate func trimmedOfWhitespace() -> String {
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
