import ModelBackend
import SelfMoA
/// Ask: a question about the selection (or the block around the cursor, or the file), answered
/// in Markdown. The task differs from explain's only in its instruction, which carries the
/// question.
enum AskAction {
    static func task(_ focused: ContextExtractor.Focused, question: AskQuestion) -> SelfMoATask {
        SelfMoATask(
            system: AskPrompt.system,
            instruction: AskPrompt.instruction(subject: ExplainAction.subject(focused), question: question.text),
            context: focused.context,
            answerFormat: AskPrompt.answerFormat
        )
    }
}
