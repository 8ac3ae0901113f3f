import ModelBackend
import SelfMoA
/// The outcome of an explain request.
public struct ExplainResult: Sendable {
    /// The explanation, in Markdown.
    public var markdown: String
    /// How the answer was made and what it cost.
    public var run: SelfMoAResult

    public init(markdown: String, run: SelfMoAResult) {
        self.markdown = markdown
        self.run = run
    }

    /// A summary of `run`.
    public var cost: CostReport { CostReport(run) }
}
