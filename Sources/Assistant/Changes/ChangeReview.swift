import ModelBackend
import SelfMoA
/// The outcome of reviewing changes: findings on the changed lines of each file (new side,
/// 0-based lines), what was reviewed and what it cost.
public struct ChangeReview: Sendable {
    /// One reviewed unit and what it cost.
    public struct Reviewed: Sendable, Hashable, Codable {
        public var path: String
        /// 0-based, inclusive.
        public var startLine: Int
        public var endLine: Int
        public var seconds: Double
        public var forwardPasses: Int
        public var findings: Int
    }

    /// Findings per file path (relative to the repository), on changed lines only.
    public var findings: [String: [Finding]]
    public var reviewed: [Reviewed]
    /// Units beyond the limit, not reviewed.
    public var skippedUnits: Int
    /// Files left out and why.
    public var notes: [String]
    /// What the reviews cost together; `nil` when nothing was reviewed.
    public var cost: CostReport?

    /// All findings, by path then line.
    public var sortedFindings: [(path: String, finding: Finding)] {
        findings.keys.sorted().flatMap { path in
            findings[path, default: []].sorted { $0.startLine < $1.startLine }.map { (path, $0) }
        }
    }
}

extension Assistant {
    /// Reviews each unit of `plan` (review settings, repair check included) and keeps the
    /// findings on its changed lines. `onUnit` hears of each unit before it starts (index,
    /// total, unit), `onProgress` of each run's steps. Cancelling the task stops between and
    /// within units (`CancellationError`).
    public func reviewChanges(
        _ plan: ChangePlan,
        onUnit: @escaping @Sendable (Int, Int, ChangePlan.Unit) -> Void = { _, _, _ in },
        onProgress: @escaping @Sendable (SelfMoAProgress) -> Void = { _ in }
    ) async throws -> ChangeReview {
        var findings: [String: [Finding]] = [:]
        var reviewed: [ChangeReview.Reviewed] = []
        var total: CostReport?
        for (index, unit) in plan.units.enumerated() {
            try Task.checkCancellation()
            onUnit(index, plan.units.count, unit)
            guard let text = plan.texts[unit.path] else { continue }
            let name = unit.path.split(separator: "/").last.map(String.init) ?? unit.path
            let selection = ActionInput.byteRange(lines: unit.lines.lowerBound...(unit.lines.upperBound - 1), in: text)
            let input = ActionInput(fileName: name, language: unit.language, text: text, selection: selection)
            let result = try await review(input, onProgress: onProgress)
            let changed = Set(unit.changedLines)
            let kept = result.findings.filter { finding in finding.lines.contains { changed.contains($0) } }
            findings[unit.path, default: []] = FindingMerger.merge(findings[unit.path, default: []] + kept)
            let cost = result.cost
            if total == nil { total = cost } else { total?.add(cost) }
            reviewed.append(ChangeReview.Reviewed(
                path: unit.path, startLine: unit.lines.lowerBound, endLine: unit.lines.upperBound - 1,
                seconds: cost.totalSeconds, forwardPasses: cost.forwardPasses, findings: kept.count))
        }
        return ChangeReview(findings: findings, reviewed: reviewed, skippedUnits: plan.skippedUnits, notes: plan.notes, cost: total)
    }
}
