import ModelBackend
import SelfMoA
/// The outcome of an explain request.
public struct ExplainResult: Sendable {
    /// The explanation, in Markdown.
    public var markdown: String
    /// How the answer was made and what it cost.
    public var run: SelfMoAResult
    /// The round trips' rewrites (`roundTrip`).
    public var roundTrips: ModelCallsCost

    public init(markdown: String, run: SelfMoAResult, roundTrips: ModelCallsCost = ModelCallsCost()) {
        self.markdown = markdown
        self.run = run
        self.roundTrips = roundTrips
    }

    /// A summary of `run`, round trips included.
    public var cost: CostReport {
        var report = CostReport(run)
        report.add(roundTrips: roundTrips)
        return report
    }
}

