import ArgumentParser
import Assistant

/// `selfmoa-lsp review FILE [--lines A-B]`: reviews a file, or some of its lines, and prints the
/// findings as markdown (with `--json`, the findings with 1-based lines, the markdown and the
/// cost report). Progress and the cost summary go to stderr.
struct ReviewCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Review a file, or some of its lines, with Self-MoA and print the findings."
    )

    @Argument(help: "The file to review.")
    var file: String

    @Option(help: "Only these lines: A-B or A (1-based, inclusive).")
    var lines: LineSpan?

    @Flag(inversion: .prefixedNo, help: "Also ask for repairs of each function and report the lines most of them change (default: on).")
    var repairCheck: Bool?

    @Flag(help: "With the repair check, count only repairs that pass more of the function's docstring examples than it does (runs them in a sandbox).")
    var runExamples = false

    @OptionGroup var action: ActionOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let input = try SourceFile(path: file, language: action.language).input(lines: lines)
        let reporter = action.progressReporter
        let result = try await action.withAssistant(for: .review, logging: logging, overrides: ActionSettings(runExamples: runExamples ? true : nil, repairCheck: repairCheck)) {
            try await $0.review(input, onProgress: reporter)
        }
        action.finish(result.cost)
        if action.json {
            try printJSON(ReviewOutput(
                file: file, lines: lines, markdown: result.markdown,
                findings: result.findings.map(ReviewOutput.Item.init), cost: result.cost
            ))
        } else {
            print(result.markdown)
        }
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
