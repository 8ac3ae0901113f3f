import ModelBackend
import SelfMoA
import Tools

extension Assistant {
    /// What review's repair check found: the findings (polished, on document lines) and the
    /// runs that asked for the repairs, for the cost report.
    struct RepairCheckOutcome: Sendable {
        var findings: [Finding]
        var runs: [SelfMoAResult]
        /// What the check could not do (examples not run: no isolation boundary here).
        var notes: [String] = []
    }

    /// Review's repair check (`repairCheck`): for each function in `units`, asks for repairs
    /// (`engine(repairOf:in:)`) and turns the lines most of them change into findings
    /// (`RepairVote`). With `runExamples` on Python, the function's docstring examples, run in
    /// the sandbox, decide which repairs vote (`RepairExamples`). `share(k)` scales the progress
    /// of unit `k - 1` into the review's.
    func repairCheck(
        _ units: [Range<Int>], focused: ContextExtractor.Focused, language: String, runExamples: Bool,
        share: (Int) -> @Sendable (SelfMoAProgress) -> Void
    ) async throws -> RepairCheckOutcome {
        var outcome = RepairCheckOutcome(findings: [], runs: [])
        let lines = focused.source.lines
        var runExamples = runExamples && language == "python"
        if runExamples, !units.isEmpty {
            let support = await SandboxSupport.probe(bwrap: sandbox.bwrap)
            if !support.isolationAvailable {
                runExamples = false
                outcome.notes.append(
                    "docstring examples not run: \(support.isolationFailure ?? "no isolation boundary (bubblewrap)"); every repair voted")
            }
        }
        for (index, unit) in units.enumerated() {
            let repair = try await engine(repairOf: unit, in: lines)
                .run(ReviewAction.repairTask(unit, of: lines, language: language), onProgress: share(index + 1))
            outcome.runs.append(repair)
            let answers = repair.proposals.map(\.text)
            let found: [Finding]
            if runExamples,
               let judged = await RepairExamples.judge(answers, unit: unit, lines: lines, sandbox: sandbox) {
                // Repairs the examples vouch for are evidence enough: a majority of them decides.
                found = RepairVote.findings(
                    answers: judged, asked: judged.count, lines: lines, unit: unit, attempts: RepairExamples.attempts)
            } else {
                found = RepairVote.findings(
                    answers: answers, asked: repair.proposals.count + repair.failedProposals.count, lines: lines, unit: unit)
            }
            outcome.findings = FindingMerger.merge(outcome.findings + found.map { ReviewAction.polish($0, in: focused.source) })
        }
        return outcome
    }

    /// The engine for the repairs of one function: review's settings with one more sample, the
    /// first greedy, each long enough for the function, and no aggregation (the answer is a
    /// vote over the lines they change, `RepairVote`).
    func engine(repairOf unit: Range<Int>, in lines: [String]) -> SelfMoAEngine {
        var configuration = settings.configuration(for: .review).engine
        configuration.streamDraft = false
        configuration.proposals = (configuration.mode == .single ? 1 : configuration.proposals) + 1
        configuration.mode = .selfMoA
        configuration.greedyProposal = true
        configuration.agreement = false
        configuration.answer = .central
        configuration.aggregatorModel = nil
        let characters = lines[unit].reduce(0) { $0 + $1.count + 1 }
        configuration.proposalMaxTokens = characters / 3 + 96
        return SelfMoAEngine(model: model, configuration: configuration)
    }
}
