/// The outcome of a review request.
public struct ReviewResult: Sendable {
    /// The findings (or "no issues") for a person to read, with line numbers.
    public var markdown: String
    /// The findings on document lines, sorted by line.
    public var findings: [Finding]
    /// How the answer was made and what it cost.
    public var run: SelfMoAResult

    public init(markdown: String, findings: [Finding], run: SelfMoAResult) {
        self.markdown = markdown
        self.findings = findings
        self.run = run
    }

    /// A summary of `run`.
    public var cost: CostReport { CostReport(run) }
}
