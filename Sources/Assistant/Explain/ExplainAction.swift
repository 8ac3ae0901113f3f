import ModelBackend
import SelfMoA
/// Explain: the task for the engine and the markdown from its answer.
enum ExplainAction {
    static func task(_ focused: ContextExtractor.Focused) -> SelfMoATask {
        SelfMoATask(
            system: ExplainPrompt.system,
            instruction: ExplainPrompt.instruction(subject: subject(focused)),
            context: focused.context,
            answerFormat: ExplainPrompt.answerFormat
        )
    }

    /// The lines being explained.
    static func explained(_ focused: ContextExtractor.Focused) -> [String] {
        Array(focused.source.lines[focused.focus])
    }

    /// "this file", or "the selected code (lines 3–9)".
    static func subject(_ focused: ContextExtractor.Focused) -> String {
        focused.coversFile ? "this file" : "the selected code (\(linesLabel(focused.focus)))"
    }

    /// The answer trimmed, unwrapped when the whole of it came in one Markdown fence.
    static func markdown(_ answer: String) -> String {
        var lines = answer.trimmed.splitLines
        if lines.count >= 2, let first = lines.first?.trimmed, let last = lines.last?.trimmed,
            ["```", "```markdown", "```md"].contains(first.lowercased()), last == "```",
            !lines.dropFirst().dropLast().contains(where: { $0.trimmed.hasPrefix("```") }) {
            lines = Array(lines.dropFirst().dropLast())
        }
        if let restart = restartIndex(lines) {
            lines = Array(lines[..<restart])
        }
        lines = lines.filter { !$0.trimmed.hasPrefix("<candidate") && !$0.trimmed.hasPrefix("</candidate") && !isFormatLabel($0) }
        // Small aggregators sometimes append a commentary on the candidates despite being told
        // not to: the explanation ends where such a section begins.
        if let cut = lines.indices.dropFirst().first(where: { startsCandidateCommentary(lines[$0]) }) {
            lines = Array(lines[..<cut])
        }
        // Dropped lines leave runs of blank lines behind: keep one.
        lines = lines.enumerated().filter { index, line in !(line.isBlank && index > 0 && lines[index - 1].isBlank) }.map(\.element)
        return lines.joined(separator: "\n").trimmed
    }

    /// Where the explanation begins again after its bullet points, or nil. Small models near
    /// their token cap sometimes start over ("The selected code is …" a second time, or the
    /// answer format's label again), and the cap then cuts the second copy midway: the answer
    /// ends before it. A later unindented line counts as a restart when it opens with the same
    /// three words as the summary sentence.
    static func restartIndex(_ lines: [String]) -> Int? {
        guard let firstBullet = lines.firstIndex(where: isBullet) else { return nil }
        let summary = lines.first { !$0.isBlank && !isFormatLabel($0) && !$0.trimmed.hasPrefix("```") }
        let opening = summary.map(openingWords) ?? []
        return lines.indices.dropFirst(firstBullet + 1).first { index in
            let line = lines[index]
            if isFormatLabel(line) { return true }
            guard !line.isBlank, !isBullet(line), line.first?.isWhitespace == false else { return false }
            return opening.count == 3 && openingWords(line) == opening
        }
    }

    /// A Markdown list item: `-`, `*`, `+` or a number followed by `.` or `)`.
    static func isBullet(_ line: String) -> Bool {
        let text = Substring(line.trimmed)
        if text.hasPrefix("- ") || text.hasPrefix("* ") || text.hasPrefix("+ ") { return true }
        let afterNumber = text.drop(while: \.isNumber)
        return afterNumber.count < text.count && (afterNumber.hasPrefix(". ") || afterNumber.hasPrefix(") "))
    }

    /// The first three words, lowercased, without Markdown emphasis or code marks.
    static func openingWords(_ line: String) -> [String] {
        let words = line.lowercased().split(whereSeparator: \.isWhitespace).prefix(3)
        return words.map { String($0.filter { !"*_`#".contains($0) }) }.filter { !$0.isEmpty }
    }

    /// A line that only restates the requested shape ("One sentence that sums it up is:",
    /// "Here are a few short bullet points:"), which small aggregators echo from the answer format.
    static func isFormatLabel(_ line: String) -> Bool {
        var text = Substring(line.trimmed.lowercased())
        while let first = text.first, "#*_ ".contains(first) { text = text.dropFirst() }
        while let last = text.last, "*_ ".contains(last) { text = text.dropLast() }
        guard text.hasSuffix(":") else { return false }
        return text.contains("sums it up") || text.contains("short bullet point") || text.contains("few bullet point")
    }

    /// A heading, bold line or list item about the candidates ("### Explanation of the Candidate
    /// Answers", "**Candidate 2**", "1. Candidate 1 is …").
    static func startsCandidateCommentary(_ line: String) -> Bool {
        var text = Substring(line.trimmed.lowercased())
        let isHeading = text.hasPrefix("#")
        while let first = text.first, "#*-_ 0123456789.)".contains(first) { text = text.dropFirst() }
        if text.hasPrefix("candidate") || text.hasPrefix("the candidate") { return true }
        return isHeading && text.contains("candidate")
    }
}
