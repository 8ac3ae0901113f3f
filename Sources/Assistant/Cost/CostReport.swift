import ModelBackend
import SelfMoA
/// A small summary of what a run did and cost, for status lines, logs and `--json` output.
///
/// `summary` reads like "Self-MoA 4 samples + 1 aggregation · 5 passes · 2,310 prompt (1,200
/// prefilled) / 640 completion tokens · 41.2 s".
public struct CostReport: Sendable, Hashable, Codable {
    /// The mode that ran (`selfmoa`, `seq` or `single`).
    public var mode: SelfMoAMode
    /// Proposals that succeeded.
    public var samples: Int
    /// Proposals that failed and were dropped.
    public var failedSamples: Int
    /// Proposals came from fill-in-the-middle.
    public var infill: Bool
    /// The answer is a synthesis (not a lone proposal or a fallback).
    public var aggregated: Bool
    /// Aggregation steps that completed.
    public var aggregationSteps: Int
    /// Samples that produced output: proposals plus completed aggregations.
    public var forwardPasses: Int
    public var promptTokens: Int
    /// Prompt tokens the backend evaluated (the rest came from its cache).
    public var prefilledTokens: Int
    public var completionTokens: Int
    public var proposalSeconds: Double
    public var aggregationSeconds: Double
    public var totalSeconds: Double
    /// The user's wait for the first text (the draft's, or the answer's); `nil` when nothing
    /// was streamed.
    public var firstTextSeconds: Double?
    /// The file was trimmed to fit the model's context.
    public var trimmed: Bool
    /// Proposals dropped before aggregation because they failed a check others passed.
    public var rejectedSamples: Int
    /// The largest number of kept proposals that wrote the same code (or text).
    public var agreeingSamples: Int
    /// A majority of the proposals agreed and the run answered with them, without aggregating.
    public var decidedByAgreement: Bool
    /// The central proposal answered (`answer: central`), without aggregating.
    public var decidedByCentrality: Bool
    /// The synthesis failed a check the best proposal passed; that proposal is the answer.
    public var synthesisRejected: Bool
    /// `escalate`: the greedy proposal passed every check alone; nothing else was sampled.
    public var passedAlone: Bool = false
    /// `escalate`: the greedy proposal failed a check, so the others were sampled.
    public var escalated: Bool = false
    /// What the checks could not do (a missing toolchain, …), for logs.
    public var notes: [String]
    /// The answer stopped at its token cap and may end mid-sentence.
    public var answerCut: Bool = false
    /// review: the functions whose repairs were asked for (`repairCheck`); their samples,
    /// passes, tokens and time are in the totals, the seconds in `repairSeconds`.
    public var repairChecks: Int = 0
    public var repairSeconds: Double = 0
    /// explain: the candidates rewritten as code to rank them (`roundTrip`).
    public var roundTrips: Int = 0
    /// review: functions whose lines were filled in one by one (`LineSearch`).
    public var lineSearches: Int = 0
    /// complete: corrections asked for when no candidate's code parsed, from the checker's
    /// message (`correctUnparsed`), whether or not the correction parsed (the notes say); their
    /// passes, tokens and time are in the totals, the seconds in `correctionSeconds`.
    public var corrections: Int = 0
    public var correctionSeconds: Double = 0

    public init(_ run: SelfMoAResult) {
        mode = run.mode
        samples = run.proposals.count
        failedSamples = run.failedProposals.count
        infill = run.plan.infill
        aggregated = run.aggregated
        aggregationSteps = run.aggregationSteps
        forwardPasses = run.cost.forwardPasses
        promptTokens = run.cost.promptTokens
        prefilledTokens = run.cost.prefilledTokens
        completionTokens = run.cost.completionTokens
        proposalSeconds = Self.milliseconds(run.cost.proposalSeconds)
        aggregationSeconds = Self.milliseconds(run.cost.aggregationSeconds)
        totalSeconds = Self.milliseconds(run.cost.totalSeconds)
        firstTextSeconds = run.cost.firstTextSeconds.map(Self.milliseconds)
        trimmed = run.plan.trimmed
        rejectedSamples = run.selection.rejected.count
        agreeingSamples = run.selection.largestAgreement
        decidedByAgreement = run.selection.decidedByAgreement
        synthesisRejected = run.selection.synthesisRejected
        decidedByCentrality = run.selection.decidedByCentrality
        passedAlone = run.selection.passedAlone
        escalated = run.selection.escalated
        notes = run.selection.notes
        answerCut = run.answerCut
    }

    /// Adds explain's round-trip rewrites (`roundTrip`): their passes and tokens (their time is
    /// already in the run's, which waits for them).
    public mutating func add(roundTrips cost: ModelCallsCost) {
        roundTrips += cost.count
        forwardPasses += cost.count
        promptTokens += cost.usage.promptTokens
        prefilledTokens += cost.usage.prefilledTokens
        completionTokens += cost.usage.completionTokens
        notes += cost.failures.map { "a round trip failed: \($0)" }.filter { !notes.contains($0) }
    }

    /// Adds review's line search (`LineSearch`) over `functions` functions: its requests,
    /// tokens and time.
    public mutating func add(lineSearch cost: ModelCallsCost, functions: Int) {
        lineSearches += functions
        forwardPasses += cost.count
        promptTokens += cost.usage.promptTokens
        prefilledTokens += cost.usage.prefilledTokens
        completionTokens += cost.usage.completionTokens
        repairSeconds += Self.milliseconds(cost.usage.seconds)
        totalSeconds += Self.milliseconds(cost.usage.seconds)
        notes += cost.failures.map { "the line search failed: \($0)" }.filter { !notes.contains($0) }
    }

    /// Adds a review's repair run (`repairCheck`) to the totals.
    public mutating func add(repair run: SelfMoAResult) {
        repairChecks += 1
        repairSeconds += addRequests(of: run)
    }

    /// Adds complete's correction of unparsed code (`correctUnparsed`): one greedy request.
    public mutating func add(correction run: SelfMoAResult) {
        corrections += 1
        correctionSeconds += addRequests(of: run)
    }

    /// The passes, tokens, failures and time of a run made after this report's own, added to
    /// the totals; its seconds, for the caller's own count.
    private mutating func addRequests(of run: SelfMoAResult) -> Double {
        forwardPasses += run.cost.forwardPasses
        promptTokens += run.cost.promptTokens
        prefilledTokens += run.cost.prefilledTokens
        completionTokens += run.cost.completionTokens
        failedSamples += run.failedProposals.count
        let seconds = Self.milliseconds(run.cost.totalSeconds)
        totalSeconds = Self.milliseconds(totalSeconds + seconds)
        return seconds
    }

    /// Adds another run's report (another function of a change, say): counts, tokens and
    /// times add up; a flag holds when it holds for either; the mode stays this one's.
    public mutating func add(_ other: CostReport) {
        addWork(of: other)
        totalSeconds += other.totalSeconds
        firstTextSeconds = firstTextSeconds ?? other.firstTextSeconds
        infill = infill || other.infill
        aggregated = aggregated || other.aggregated
        aggregationSteps += other.aggregationSteps
        trimmed = trimmed || other.trimmed
        agreeingSamples = max(agreeingSamples, other.agreeingSamples)
        decidedByAgreement = decidedByAgreement || other.decidedByAgreement
        decidedByCentrality = decidedByCentrality || other.decidedByCentrality
        synthesisRejected = synthesisRejected || other.synthesisRejected
        passedAlone = passedAlone || other.passedAlone
        escalated = escalated || other.escalated
        notes += other.notes.filter { !notes.contains($0) }
        answerCut = answerCut || other.answerCut
        repairChecks += other.repairChecks
        repairSeconds += other.repairSeconds
        roundTrips += other.roundTrips
        lineSearches += other.lineSearches
        corrections += other.corrections
        correctionSeconds += other.correctionSeconds
    }

    /// Adds a run whose answer was set aside before this one's was asked for (complete's whole
    /// function, `CompleteResult.setAside`): its samples, passes, tokens and time count; what
    /// describes the answer (how it was chosen, whether it was cut) stays this run's.
    public mutating func add(setAside other: CostReport) {
        addWork(of: other)
        totalSeconds = Self.milliseconds(totalSeconds + other.totalSeconds)
        firstTextSeconds = firstTextSeconds.map { Self.milliseconds($0 + other.totalSeconds) }
    }

    /// The samples, passes, tokens and sampling and aggregation time of `other`, added.
    private mutating func addWork(of other: CostReport) {
        samples += other.samples
        failedSamples += other.failedSamples
        rejectedSamples += other.rejectedSamples
        forwardPasses += other.forwardPasses
        promptTokens += other.promptTokens
        prefilledTokens += other.prefilledTokens
        completionTokens += other.completionTokens
        proposalSeconds += other.proposalSeconds
        aggregationSeconds += other.aggregationSeconds
    }

    /// Seconds to the millisecond, as reports carry them.
    static func milliseconds(_ seconds: Double) -> Double { (seconds * 1000).rounded() / 1000 }

    /// One line for a human.
    public var summary: String {
        var method: String
        switch mode {
        case _ where passedAlone:
            method = "greedy answer, passed its checks (no more samples)"
        case .single:
            method = "single answer"
        default:
            let name = mode == .seq ? "Self-MoA-Seq" : "Self-MoA"
            method = "\(name) \(count(samples, infill ? "infill sample" : "sample"))"
            if failedSamples > 0 { method += " (\(failedSamples) failed)" }
            if rejectedSamples > 0 { method += " (\(rejectedSamples) failed checks)" }
            if escalated { method += " after the greedy answer failed a check" }
            if decidedByAgreement {
                method += ", \(agreeingSamples) agreed (not aggregated)"
            } else if decidedByCentrality {
                method += ", the most typical chosen (not aggregated)"
            } else if synthesisRejected {
                method += " + \(count(aggregationSteps, "aggregation")) (failed checks; kept a sample)"
            } else {
                method += aggregated
                    ? " + \(count(aggregationSteps, "aggregation"))"
                    : " (not aggregated)"
            }
        }
        if repairChecks > 0 {
            method += " + \(count(repairChecks, "function")) repaired to check (\(Self.seconds(repairSeconds)))"
        }
        if lineSearches > 0 { method += " + \(count(lineSearches, "function")) searched line by line" }
        if corrections > 0 {
            method += " + \(count(corrections, "correction")) from the checker's message (\(Self.seconds(correctionSeconds)))"
        }
        if roundTrips > 0 { method += " + \(count(roundTrips, "round trip")) to rank them" }
        var parts = [method, count(forwardPasses, "pass", plural: "passes")]
        let prefilled = prefilledTokens == promptTokens ? "" : " (\(Self.grouped(prefilledTokens)) prefilled)"
        parts.append("\(Self.grouped(promptTokens)) prompt\(prefilled) / \(Self.grouped(completionTokens)) completion tokens")
        parts.append(Self.seconds(totalSeconds))
        if trimmed { parts.append("file trimmed to fit") }
        parts += notes
        return parts.joined(separator: " · ")
    }

    private func count(_ value: Int, _ noun: String, plural: String? = nil) -> String {
        "\(Self.grouped(value)) \(value == 1 ? noun : plural ?? noun + "s")"
    }

    /// `2310` → `2,310`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// `41.23` → `41.2 s`.
    static func seconds(_ value: Double) -> String {
        let tenths = Int((max(value, 0) * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) s"
    }
}
