import ModelBackend
import SelfMoA
/// The outcome of a review request.
public struct ReviewResult: Sendable {
    /// The findings (or "no issues") for a person to read, with line numbers.
    public var markdown: String
    /// The findings on document lines, sorted by line.
    public var findings: [Finding]
    /// How the answer was made and what it cost.
    public var run: SelfMoAResult
    /// The repair runs, one per function reviewed (`repairCheck`); their findings are in `findings`.
    public var repairs: [SelfMoAResult]
    /// What the repair check could not do, for the cost report's notes.
    public var notes: [String]

    public init(markdown: String, findings: [Finding], run: SelfMoAResult, repairs: [SelfMoAResult] = [], notes: [String] = []) {
        self.notes = notes
        self.markdown = markdown
        self.findings = findings
        self.run = run
        self.repairs = repairs
    }

    /// A summary of `run` and the repairs.
    public var cost: CostReport {
        var report = CostReport(run)
        for repair in repairs { report.add(repair: repair) }
        report.notes += notes
        return report
    }
}
