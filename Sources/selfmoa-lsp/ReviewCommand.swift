import ArgumentParser
import Assistant
import Foundation

/// `selfmoa-lsp review FILE [--lines A-B]`: reviews a file, or some of its lines, and prints the
/// findings as markdown (with `--json`, the findings with 1-based lines, the markdown and the
/// cost report). Progress and the cost summary go to stderr.
///
/// `selfmoa-lsp review --changes [REV]`: reviews the functions a git change touches — the working
/// tree against `HEAD` by default, or against `REV` as git takes it (`main...HEAD`, a commit) —
/// and prints the findings on the changed lines as text, JSON or SARIF 2.1.0; `--fail-on` sets
/// which findings make it exit 1 (for CI). Exit 2: the changes could not be read.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Review a file, some of its lines, or a git change with Self-MoA and print the findings."
    )

    @Argument(help: "The file to review; with --changes, the revision or range to compare with (default: HEAD).")
    var file: String?

    @Option(help: "Only these lines: A-B or A (1-based, inclusive).")
    var lines: LineSpan?

    @Flag(help: "Review the functions a git change touches: the working tree (untracked files included) against HEAD, or the revision/range given.")
    var changes = false

    @Option(help: "With --changes: text, json or sarif (SARIF 2.1.0).")
    var format: String = "text"

    @Option(help: "With --changes: exit 1 when a finding is an error (error), a warning or worse (warning), or never.")
    var failOn: String = "error"

    @Option(help: "With --changes: review at most this many changed functions (the first in the diff); the rest are counted as skipped.")
    var maxFunctions: Int = 20

    @Option(help: "With --changes: the repository (default: the current directory).")
    var repository: String = "."

    @Flag(inversion: .prefixedNo, help: "Also ask for repairs of each function and report the lines most of them change (default: on).")
    var repairCheck: Bool?

    @Flag(inversion: .prefixedNo, help: "Python, with the repair check: count only repairs that pass more of the function's docstring examples than it does (run inside bubblewrap; default: on).")
    var runExamples: Bool?

    @OptionGroup var action: ActionOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        if runExamples != nil, repairCheck == false {
            throw ValidationError("--run-examples and --no-run-examples apply to the repair check, which --no-repair-check turns off")
        }
        if changes {
            guard ChangesFormat(rawValue: format) != nil else { throw ValidationError("--format must be text, json or sarif (got \(format))") }
            guard FailOn(rawValue: failOn) != nil else { throw ValidationError("--fail-on must be error, warning or never (got \(failOn))") }
            guard maxFunctions >= 1 else { throw ValidationError("--max-functions must be at least 1") }
            if lines != nil { throw ValidationError("--lines does not apply to --changes: the diff says which lines changed") }
        } else {
            guard file != nil else { throw ValidationError("review needs a FILE, or --changes to review a git change") }
            if format != "text" || failOn != "error" || maxFunctions != 20 || repository != "." {
                throw ValidationError("--format, --fail-on, --max-functions and --repository apply to --changes only")
            }
        }
    }

    func run() async throws {
        let overrides = ActionSettings(runExamples: runExamples, repairCheck: repairCheck)
        if changes { return try await reviewChanges(overrides: overrides) }
        let input = try SourceFile(path: file ?? "", language: action.language).input(lines: lines)
        let reporter = action.progressReporter
        let result = try await action.withAssistant(for: .review, logging: logging, overrides: overrides) {
            try await $0.review(input, onProgress: reporter)
        }
        action.finish(result.cost)
        if action.json {
            try printJSON(ReviewOutput(
                file: file ?? "", lines: lines, markdown: result.markdown,
                findings: result.findings.map(ReviewOutput.Item.init), cost: result.cost
            ))
        } else {
            print(result.markdown)
        }
    }

    private func reviewChanges(overrides: ActionSettings) async throws {
        let format = action.json ? .json : ChangesFormat(rawValue: format) ?? .text
        let failOn = FailOn(rawValue: failOn) ?? .error
        let changes: GitChanges
        do {
            changes = try await GitChanges.read(in: repository, revision: file)
        } catch {
            printError("error: \(error.message)")
            throw ExitCode(2)
        }
        var files: [(file: DiffFile, text: String?)] = []
        for changed in changes.files {
            files.append((changed, changed.status == .deleted || changed.status == .binary ? nil : await changes.text(of: changed)))
        }
        let plan = ChangePlan.make(files, limit: maxFunctions)
        let quiet = action.quiet
        if !quiet {
            for note in plan.notes { printError("note: \(note)") }
            if plan.units.isEmpty { printError("no changed code to review in \(changes.root) (\(changes.revision ?? "working tree against HEAD"))") }
            if plan.skippedUnits > 0 {
                printError("note: \(plan.skippedUnits) more changed functions beyond --max-functions \(maxFunctions), not reviewed")
            }
        }
        let reporter = action.progressReporter
        let review = try await action.withAssistant(for: .review, logging: logging, overrides: overrides) { assistant in
            try await assistant.reviewChanges(plan, onUnit: { index, total, unit in
                if !quiet { printError("[\(index + 1)/\(total)] \(unit.path):\(unit.lines.lowerBound + 1)-\(unit.lines.upperBound)") }
            }, onProgress: reporter)
        }
        let output = ChangesOutput(root: changes.root, revision: changes.revision, review: review)
        switch format {
        case .text:
            let text = output.text
            if !text.isEmpty { print(text) }
        case .json: try printJSON(output.report)
        case .sarif: print(output.sarif.serialized())
        }
        if !quiet {
            let report = output.report
            printError("reviewed \(report.reviewed.count) changed functions, \(report.findings.count) findings on changed lines, \(report.forwardPasses) passes, \(String(format: "%.1f", report.seconds)) s")
        }
        if review.sortedFindings.contains(where: { failOn.fails($0.finding.severity) }) { throw ExitCode(1) }
    }
}

private struct ReviewOutput: Encodable {
    /// A finding with 1-based lines, like everything on the command line.
    struct Item: Encodable {
        var startLine: Int
        var endLine: Int
        var severity: Finding.Severity
        var message: String
        var replacement: String?

        init(_ finding: Finding) {
            startLine = finding.startLine + 1
            endLine = finding.endLine + 1
            severity = finding.severity
            message = finding.message
            replacement = finding.replacement
        }
    }

    var file: String
    var lines: LineSpan?
    var markdown: String
    var findings: [Item]
    var cost: CostReport
}
