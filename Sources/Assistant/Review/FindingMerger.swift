/// Merges duplicate findings: those of one reply, and those several replies share.
///
/// Findings on the same lines become one, with the most severe severity, their distinct
/// messages joined (a message whose words another contains is dropped) and the first fix. Findings on
/// overlapping lines saying the same thing (compared without case and punctuation) become one
/// over the union of their lines; its fix is kept only when it was written for exactly those
/// lines. The result is sorted by line, then severity.
enum FindingMerger {
    static func merge(_ findings: [Finding]) -> [Finding] {
        var merged: [Finding] = []
        for finding in findings {
            if let index = merged.firstIndex(where: { $0.startLine == finding.startLine && $0.endLine == finding.endLine }) {
                merged[index] = combine(merged[index], finding)
            } else {
                merged.append(finding)
            }
        }
        var index = 0
        while index < merged.count {
            let finding = merged[index]
            if let other = merged.indices.first(where: { other in
                other != index && overlaps(merged[other], finding) && sameMessage(merged[other].message, finding.message)
            }) {
                let keep = min(index, other)
                let drop = max(index, other)
                merged[keep] = union(merged[keep], merged[drop])
                merged.remove(at: drop)
                index = 0
            } else {
                index += 1
            }
        }
        return merged.sorted { ($0.startLine, $0.endLine, $1.severity) < ($1.startLine, $1.endLine, $0.severity) }
    }

    /// Lower-cased letters and digits, single-spaced: what two messages are compared by.
    static func normalized(_ message: String) -> String {
        message.lowercased().split { !$0.isLetter && !$0.isNumber }.joined(separator: " ")
    }

    private static func sameMessage(_ a: String, _ b: String) -> Bool {
        let a = normalized(a)
        let b = normalized(b)
        return !a.isEmpty && !b.isEmpty && (contains(a, words: b) || contains(b, words: a))
    }

    /// `text` contains `words` as whole words (both normalized).
    private static func contains(_ text: String, words: String) -> Bool {
        (" " + text + " ").contains(" " + words + " ")
    }

    private static func overlaps(_ a: Finding, _ b: Finding) -> Bool {
        a.startLine <= b.endLine && b.startLine <= a.endLine
    }

    /// Two findings on the same lines.
    private static func combine(_ a: Finding, _ b: Finding) -> Finding {
        var result = a
        result.severity = max(a.severity, b.severity)
        result.replacement = a.replacement ?? b.replacement
        let first = normalized(a.message)
        let second = normalized(b.message)
        if second.isEmpty || contains(first, words: second) {
            // `a` already says it.
        } else if first.isEmpty || contains(second, words: first) {
            result.message = b.message
        } else {
            result.message = sentence(a.message) + " " + b.message
        }
        return result
    }

    /// Two findings saying the same thing on overlapping lines.
    private static func union(_ a: Finding, _ b: Finding) -> Finding {
        var result = a
        result.startLine = min(a.startLine, b.startLine)
        result.endLine = max(a.endLine, b.endLine)
        result.severity = max(a.severity, b.severity)
        if normalized(b.message).count > normalized(a.message).count { result.message = b.message }
        let candidates = [a, b].filter { $0.startLine == result.startLine && $0.endLine == result.endLine }
        result.replacement = candidates.lazy.compactMap(\.replacement).first
        return result
    }

    private static func sentence(_ text: String) -> String {
        guard let last = text.last, !".!?".contains(last) else { return text }
        return text + "."
    }
}
