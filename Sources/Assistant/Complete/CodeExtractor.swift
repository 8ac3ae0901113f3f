/// Takes the code out of a model's answer.
///
/// Asked for "only the code", models still fence it, introduce it ("Here is the code:") or
/// explain it afterwards. With fences, the code is the longest fenced block (an unclosed fence
/// runs to the end: the answer was cut by its token cap). Without, leading prose lines are
/// dropped, and so is everything from the first later paragraph that starts as prose. Echoed
/// cursor markers and candidate tags are removed; leading and trailing blank lines too, but
/// the first line's indentation is kept (it matters when re-indenting).
enum CodeExtractor {
    static func extract(_ answer: String, marker: String) -> [String] {
        var lines = answer.splitLines.filter { !isCandidateTag($0) }
        if let fenced = longestFencedBlock(lines) {
            lines = fenced
        } else {
            lines = withoutProse(lines)
        }
        if !marker.isEmpty {
            lines = lines.map { $0.replacingAll(marker, with: "") }
        }
        while let first = lines.first, first.isBlank { lines.removeFirst() }
        while let last = lines.last, last.isBlank { lines.removeLast() }
        return lines.map { $0.isBlank ? "" : $0.trailingTrimmed }
    }

    private static func isFence(_ line: String) -> Bool {
        let text = line.trimmed
        return text.hasPrefix("```") || text.hasPrefix("~~~")
    }

    private static func isCandidateTag(_ line: String) -> Bool {
        let text = line.trimmed
        return text.hasPrefix("<candidate") || text.hasPrefix("</candidate")
    }

    /// The contents of the longest fenced block, or `nil` without fences.
    private static func longestFencedBlock(_ lines: [String]) -> [String]? {
        var blocks: [[String]] = []
        var current: [String]?
        for line in lines {
            if isFence(line) {
                if let block = current {
                    blocks.append(block)
                    current = nil
                } else {
                    current = []
                }
            } else if current != nil {
                current!.append(line)
            }
        }
        if let open = current { blocks.append(open) }
        guard !blocks.isEmpty else { return nil }
        func weight(_ block: [String]) -> Int { block.reduce(0) { $0 + $1.trimmed.count } }
        return blocks.reduce(blocks[0]) { weight($1) > weight($0) ? $1 : $0 }
    }

    private static func withoutProse(_ lines: [String]) -> [String] {
        var lines = lines
        while let first = lines.firstIndex(where: { !$0.isBlank }), isProse(lines[first]) {
            lines.removeSubrange(...first)
        }
        // From the first later paragraph that opens with prose, everything is explanation.
        var index = 1
        while index < lines.count {
            if lines[index - 1].isBlank, !lines[index].isBlank, isProse(lines[index]),
                lines[..<index].contains(where: { !$0.isBlank }) {
                return Array(lines[..<index])
            }
            index += 1
        }
        return lines
    }

    /// Words English sentences about code start with; `isProse` also requires mostly plain
    /// words, so code starting with them (`i = 0`, `this.x`) is not mistaken for prose.
    private static let proseStarts = [
        "here", "sure", "certainly", "okay", "ok,", "below", "the ", "this ", "these ", "it ", "its ", "it's ",
        "we ", "i ", "i've", "i'll", "to complete", "to implement", "to fix", "you can", "note", "explanation",
        "in this", "let me", "now ", "finally", "also ",
    ]
    private static let proseHeadings: Set<String> = ["explanation:", "output:", "usage:", "example:", "example usage:"]

    /// A line of English rather than code: starts like prose and is mostly plain words.
    static func isProse(_ line: String) -> Bool {
        let text = line.trimmed.lowercased()
        if proseHeadings.contains(text) { return true }
        guard proseStarts.contains(where: { text.hasPrefix($0) }) else { return false }
        let words = text.split(separator: " ")
        let plain = words.filter { word in
            word.allSatisfy { $0.isLetter || ",.:;!?'`".contains($0) } && word.contains { $0.isLetter }
        }
        return plain.count >= 3 && plain.count * 10 >= words.count * 6
    }
}
