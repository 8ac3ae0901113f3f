import ModelBackend
import SelfMoA
import Tools

/// Review: the task for the engine, and findings and markdown from its answer.
enum ReviewAction {
    static func task(_ focused: ContextExtractor.Focused) -> SelfMoATask {
        SelfMoATask(
            system: ReviewPrompt.system,
            instruction: ReviewPrompt.instruction(
                subject: ExplainAction.subject(focused), selectionOnly: !focused.coversFile
            ),
            context: focused.context,
            answerFormat: ReviewPrompt.answerFormat
        )
    }

    /// The request for repairs of the lines `unit` (`RepairPrompt`): the code without line
    /// numbers, as a programmer would paste it.
    static func repairTask(
        _ unit: Range<Int>, of lines: [String], language: String, failing example: DoctestSandbox.ExampleFailure? = nil
    ) -> SelfMoATask {
        SelfMoATask(
            system: RepairPrompt.system,
            instruction: RepairPrompt.message(code: Array(lines[unit]), language: language, failing: example))
    }

    /// What a run found. When aggregation failed and several proposals exist, their findings
    /// are merged instead of keeping only the fallback proposal's. Findings on lines the model
    /// was not shown (the file was trimmed) are dropped; fixes are fitted to their lines.
    static func findings(of run: SelfMoAResult, source: SourceText) -> ReviewParser.Output {
        let count = source.lines.count
        var output = ReviewParser.parse(run.text, lineCount: count)
        if !run.aggregated, run.mode != .single, run.proposals.count > 1 {
            let outputs = run.proposals.map { ReviewParser.parse($0.text, lineCount: count) }
            let merged = FindingMerger.merge(outputs.flatMap(\.findings))
            output = ReviewParser.Output(
                findings: merged, saidNoIssues: merged.isEmpty && outputs.contains(where: \.saidNoIssues)
            )
        }
        let shown = run.plan.shownLines
        output.findings = output.findings
            .filter { finding in shown.isEmpty || shown.contains { $0.overlaps(finding.startLine..<(finding.endLine + 1)) } }
            .filter { !echoesItsLine($0, in: source) }
            .map { polish($0, in: source) }
        return output
    }

    /// A "finding" whose message is only the code of its own line (a small model copying the
    /// numbered file instead of reviewing it) says nothing: it is dropped. A message that
    /// quotes the line and adds words is kept.
    static func echoesItsLine(_ finding: Finding, in source: SourceText) -> Bool {
        func squeezed(_ text: String) -> String {
            var text = Substring(text)
            // The numbered listing's own prefix, `12 |`, when the model copied it too.
            if let bar = text.firstIndex(of: "|"), text[..<bar].allSatisfy({ $0.isNumber || $0 == " " }) {
                text = text[text.index(after: bar)...]
            }
            return text.filter { !$0.isWhitespace && !"`\"'_*".contains($0) }.lowercased()
        }
        let message = squeezed(finding.message)
        guard !message.isEmpty else { return true }
        return source.lines[finding.startLine...finding.endLine].contains { squeezed($0) == message }
    }

    /// The finding with its fix cut to its lines, indented like them, and dropped when it
    /// changes nothing.
    static func polish(_ finding: Finding, in source: SourceText) -> Finding {
        guard let fix = finding.replacement else { return finding }
        var result = finding
        var lines = fix.splitLines
        lines = OverlapTrimmer.trimPrefix(lines, before: source.lines[..<finding.startLine], lead: "")
        lines = OverlapTrimmer.trimSuffix(lines, after: source.lines[(finding.endLine + 1)...], tail: "")
        lines = Array(lines.drop { $0.isBlank })
        let original = source.lines[finding.startLine...finding.endLine]
        guard !lines.isEmpty else {
            result.replacement = nil
            return result
        }
        let base = Indentation.prefix(of: original.first { !$0.isBlank } ?? "")
        let text = Reindenter.fitReplacement(lines, base: base)
        result.replacement = text == original.joined(separator: "\n") ? nil : text
        return result
    }

    /// The findings for a person: a heading, then one bullet per finding with its lines and
    /// fix; "no issues"; or, when the reply could not be read as findings, the reply itself.
    static func markdown(
        _ output: ReviewParser.Output, answer: String, focused: ContextExtractor.Focused, language: String
    ) -> String {
        let name = "`\(focused.context.fileName)`"
        let scope = focused.wholeFile ? name : "\(name) (\(linesLabel(focused.focus)))"
        let findings = output.findings
        if findings.isEmpty {
            if output.saidNoIssues || answer.isBlank { return "**Review of \(scope): no issues found.**" }
            return "**Review of \(scope):** the reply did not list findings in the expected form; here it is as "
                + "written.\n\n" + answer.trimmed
        }
        var out = "**Review of \(scope): \(findings.count) finding\(findings.count == 1 ? "" : "s")**\n"
        for finding in findings {
            let label = linesLabel(finding.startLine..<(finding.endLine + 1))
            out += "\n- **\(finding.severity.rawValue)** · \(label): \(finding.message)"
            if let fix = finding.replacement {
                let indented = fix.splitLines.map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
                out += "\n\n  Suggested fix:\n\n  ```\(language)\n\(indented)\n  ```\n"
            }
        }
        return out.trailingTrimmed
    }
}
