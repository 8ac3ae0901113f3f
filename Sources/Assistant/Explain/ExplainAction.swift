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
        return lines.filter { !$0.trimmed.hasPrefix("<candidate") && !$0.trimmed.hasPrefix("</candidate") }
            .joined(separator: "\n").trimmed
    }
}
