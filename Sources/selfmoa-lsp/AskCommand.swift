import ArgumentParser
import Assistant

/// `selfmoa-lsp ask FILE [--lines A-B] --question "…"`: answers a question about a file, or some
/// of its lines, and prints the answer in Markdown (with `--json`, the question, the answer and
/// the cost report as JSON). Progress and the cost summary go to stderr.
struct AskCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ask",
        abstract: "Answer a question about a file, or some of its lines, with Self-MoA."
    )

    @Argument(help: "The file the question is about.")
    var file: String

    @Option(help: "Only these lines: A-B or A (1-based, inclusive).")
    var lines: LineSpan?

    @Option(help: "The question (at most \(AskQuestion.maximumCharacters) characters).")
    var question: String

    @OptionGroup var action: ActionOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        do {
            _ = try AskQuestion(question)
        } catch {
            throw ValidationError("--\(error.message)")
        }
    }

    func run() async throws {
        let asked = try AskQuestion(question)
        let input = try SourceFile(path: file, language: action.language).input(lines: lines)
        let reporter = action.progressReporter
        let result = try await action.withAssistant(for: .ask, logging: logging) {
            try await $0.ask(input, question: asked, onProgress: reporter)
        }
        action.finish(result.cost)
        if action.json {
            try printJSON(AskOutput(file: file, lines: lines, question: result.question, markdown: result.markdown, cost: result.cost))
        } else {
            print(result.markdown)
        }
    }
}

private struct AskOutput: Encodable {
    var file: String
    var lines: LineSpan?
    var question: String
    var markdown: String
    var cost: CostReport
}
