import ArgumentParser
import Assistant

/// `selfmoa-lsp explain FILE [--lines A-B]`: explains a file, or some of its lines, and prints
/// the synthesised markdown (with `--json`, the markdown and the cost report as JSON). Progress
/// and the cost summary go to stderr.
struct ExplainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explain",
        abstract: "Explain a file, or some of its lines, with Self-MoA and print the explanation."
    )

    @Argument(help: "The file to explain.")
    var file: String

    @Option(help: "Only these lines: A-B or A (1-based, inclusive).")
    var lines: LineSpan?

    @Flag(inversion: .prefixedNo, help: "Rank the candidates by how closely the model rebuilds the code from each (default: on).")
    var roundTrip: Bool?

    @OptionGroup var action: ActionOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let input = try SourceFile(path: file, language: action.language).input(lines: lines)
        let reporter = action.progressReporter
        let result = try await action.withAssistant(for: .explain, logging: logging, overrides: ActionSettings(roundTrip: roundTrip)) {
            try await $0.explain(input, onProgress: reporter)
        }
        action.finish(result.cost)
        if action.json {
            try printJSON(ExplainOutput(file: file, lines: lines, markdown: result.markdown, cost: result.cost))
        } else {
            print(result.markdown)
        }
    }
}

private struct ExplainOutput: Encodable {
    var file: String
    var lines: LineSpan?
    var markdown: String
    var cost: CostReport
}
