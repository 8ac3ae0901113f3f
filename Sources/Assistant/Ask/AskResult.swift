import ModelBackend
import SelfMoA
/// The outcome of an ask request.
public struct AskResult: Sendable {
    /// The question that was answered.
    public var question: String
    /// The answer, in Markdown.
    public var markdown: String
    /// How the answer was made and what it cost.
    public var run: SelfMoAResult

    public init(question: String, markdown: String, run: SelfMoAResult) {
        self.question = question
        self.markdown = markdown
        self.run = run
    }

    /// A summary of `run`.
    public var cost: CostReport { CostReport(run) }
}
