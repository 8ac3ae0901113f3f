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
        /// Functions searched line by line (`LineSearch`), and what that cost.
        var lineSearches = 0
        var lineSearchCost = ModelCallsCost()
    }

    /// Review's repair check (`repairCheck`): for each function in `units`, asks for repairs
    /// (`engine(repairOf:in:)`) and turns the lines most of them change into findings
    /// (`RepairVote`). With `runExamples` on Python, the function's docstring examples, run in
    /// the sandbox, decide which repairs vote (`RepairExamples`): a function that passes them
    /// all gets no repair request, one that fails them gets a request showing the failing
    /// example; when no repair passes more, its lines are filled in one by one (`LineSearch`),
    /// or, on a backend without fill-in-the-middle, a second round of repairs is sampled. `share(k)` scales the progress
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
            let evidence = runExamples ? await RepairExamples.evidence(unit: unit, lines: lines, sandbox: sandbox) : nil
            // Examples that all pass leave no repair able to pass more: nothing to ask for.
            if let evidence, evidence.allPass { continue }
            let task = ReviewAction.repairTask(unit, of: lines, language: language, failing: evidence?.firstFailure)
            let progress = share(index + 1)
            let repair = try await engine(repairOf: unit, in: lines).run(task, onProgress: progress)
            outcome.runs.append(repair)
            let found: [Finding]
            if let evidence {
                var judged = await RepairExamples.judge(
                    repair.proposals.map(\.text), unit: unit, lines: lines, evidence: evidence, sandbox: sandbox)
                if judged.isEmpty, (try? await model.capabilities())?.infill == true {
                    // The function fails its own examples and no repair fixed one: ask line by line.
                    let search = await LineSearch(model: model, sandbox: sandbox, seed: settings.configuration(for: .review).engine.seed)
                        .search(unit: unit, lines: lines, evidence: evidence) { searched, lines in
                            // The search can take a minute on a long body: the editor sees it advance.
                            progress(SelfMoAProgress(event: .checked(label: "line search", completed: searched, total: lines), fraction: 1))
                        }
                    outcome.lineSearches += 1
                    outcome.lineSearchCost.count += search.cost.count
                    outcome.lineSearchCost.usage = outcome.lineSearchCost.usage + search.cost.usage
                    outcome.lineSearchCost.failures += search.cost.failures.filter { !outcome.lineSearchCost.failures.contains($0) }
                    if let finding = LineSearch.finding(search.best, evidence: evidence, lines: lines) {
                        outcome.findings = FindingMerger.merge(outcome.findings + [ReviewAction.polish(finding, in: focused.source)])
                    }
                    continue
                } else if judged.isEmpty {
                    // No fill-in-the-middle here: sample the whole function once more.
                    let again = try await engine(repairOf: unit, in: lines, greedy: false).run(task, onProgress: share(index + 1))
                    outcome.runs.append(again)
                    judged = await RepairExamples.judge(
                        again.proposals.map(\.text), unit: unit, lines: lines, evidence: evidence, sandbox: sandbox)
                }
                // Repairs the examples vouch for are evidence enough: a majority of them decides.
                found = RepairVote.findings(
                    answers: judged, asked: judged.count, lines: lines, unit: unit, attempts: RepairExamples.attempts
                ).map { finding in
                    var finding = finding
                    if let summary = evidence.summary { finding.message = summary + ". " + finding.message }
                    return finding
                }
            } else {
                found = RepairVote.findings(
                    answers: repair.proposals.map(\.text), asked: repair.proposals.count + repair.failedProposals.count,
                    lines: lines, unit: unit)
            }
            outcome.findings = FindingMerger.merge(outcome.findings + found.map { ReviewAction.polish($0, in: focused.source) })
        }
        return outcome
    }

    /// The engine for the repairs of one function: review's settings with one more sample, the
    /// first greedy (unless `greedy` is off: a second round), each long enough for the function, and no aggregation (the answer is a
    /// vote over the lines they change, `RepairVote`).
    func engine(repairOf unit: Range<Int>, in lines: [String], greedy: Bool = true) -> SelfMoAEngine {
        var configuration = settings.configuration(for: .review).engine
        configuration.streamDraft = false
        configuration.proposals = (configuration.mode == .single ? 1 : configuration.proposals) + 1
        configuration.mode = .selfMoA
        configuration.greedyProposal = greedy
        // A second round with a fixed seed must not draw the first round's samples again.
        if !greedy { configuration.seed = configuration.seed.map { $0 &+ UInt32(configuration.proposals) } }
        configuration.agreement = false
        configuration.answer = .central
        configuration.aggregatorModel = nil
        let characters = lines[unit].reduce(0) { $0 + $1.count + 1 }
        configuration.proposalMaxTokens = characters / 3 + 96
        return SelfMoAEngine(model: model, configuration: configuration)
    }
}
