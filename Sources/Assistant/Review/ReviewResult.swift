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
    /// The line search (`LineSearch`): the functions searched and what it cost.
    public var lineSearch: (functions: Int, cost: ModelCallsCost)

    public init(
        markdown: String, findings: [Finding], run: SelfMoAResult, repairs: [SelfMoAResult] = [], notes: [String] = [],
        lineSearch: (functions: Int, cost: ModelCallsCost) = (0, ModelCallsCost())
    ) {
        self.notes = notes
        self.lineSearch = lineSearch
        self.markdown = markdown
        self.findings = findings
        self.run = run
        self.repairs = repairs
    }

    /// A summary of `run` and the repairs.
    public var cost: CostReport {
        var report = CostReport(run)
        for repair in repairs { report.add(repair: repair) }
        if lineSearch.functions > 0 { report.add(lineSearch: lineSearch.cost, functions: lineSearch.functions) }
        report.notes += notes
        return report
    }
}
