import ArgumentParser
import Assistant
import Foundation
import JSON
import Logging
import ModelBackend

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

    @OptionGroup var action: ActionOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let source = try SourceFile(path: file, language: action.language)
        try checkLines(lines, in: source)
        let input = ActionInput(
            fileName: source.name, language: source.language, text: source.text,
            selection: lines.map { source.byteRange(of: $0) }
        )
        let reporter = action.progressReporter
        let result = try await action.withAssistant(for: .explain, logging: logging) {
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

// MARK: - Shared by the one-shot commands (explain, review, complete)

/// The options every one-shot action takes: the backend, the Self-MoA parameters, the output.
struct ActionOptions: ParsableArguments {
    @Option(help: "Proposals per run (N).")
    var samples: Int?

    @Option(help: "auto, selfmoa, seq or single.")
    var mode: String?

    @Option(help: "Token cap of each proposal.")
    var maxTokens: Int?

    @Option(help: "Seed of proposal 0, for reproducible runs.")
    var seed: UInt32?

    @OptionGroup var backend: BackendOptions

    @Option(help: "Override the context window the backend reports, in tokens.")
    var contextTokens: Int?

    @Option(help: "The file's language (default: guessed from its extension).")
    var language: String?

    @Flag(help: "Print the result and its cost report as JSON.")
    var json = false

    @Flag(help: "Do not print progress to stderr.")
    var quiet = false

    func validate() throws {
        if let samples, samples < 1 { throw ValidationError("--samples must be at least 1") }
        if let maxTokens, maxTokens < 1 { throw ValidationError("--max-tokens must be at least 1") }
        if let mode, SelfMoAMode(rawValue: mode) == nil {
            throw ValidationError("--mode must be auto, selfmoa, seq or single (got \(mode))")
        }
    }

    /// Runs `body` with an assistant over the configured backend (these options applied to
    /// `kind`), then stops the backend (the managed embedded server, when it was started).
    func withAssistant<T: Sendable>(
        for kind: ActionKindName, logging: LoggingOptions, _ body: (Assistant) async throws -> T
    ) async throws -> T {
        let logger = try logging.makeLogger(label: "selfmoa-lsp")
        var configuration = backend.configuration()
        configuration.contextTokens = contextTokens
        let backend = ModelBackendFactory.makeBackend(configuration: configuration, logger: logger)
        var settings = AssistantSettings()
        settings[action: kind] = settings[action: kind].applying(ActionSettings(
            samples: samples, maxTokens: maxTokens, mode: mode.flatMap(SelfMoAMode.init(rawValue:)), seed: seed
        ))
        let assistant = Assistant(model: backend.model, settings: settings)
        do {
            let value = try await body(assistant)
            await backend.shutdown()
            return value
        } catch {
            await backend.shutdown()
            throw error
        }
    }

    /// Writes each step to stderr, unless `--quiet`.
    var progressReporter: @Sendable (SelfMoAProgress) -> Void {
        let quiet = quiet
        return { progress in
            if !quiet { printError("[\(Int((progress.fraction * 100).rounded()))%] \(progress.message)") }
        }
    }

    /// Writes the cost summary to stderr, unless `--quiet`.
    func finish(_ cost: CostReport) {
        if !quiet { printError(cost.summary) }
    }
}

/// Lines given on the command line: `A-B` or `A`, 1-based and inclusive.
struct LineSpan: ExpressibleByArgument, Encodable, Sendable {
    var first: Int
    var last: Int

    init?(argument: String) {
        let parts = argument.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let first = Int(parts[0]), let last = Int(parts[parts.count - 1]),
            first >= 1, last >= first
        else { return nil }
        self.first = first
        self.last = last
    }

    init(first: Int, last: Int) {
        self.first = first
        self.last = last
    }

    /// 0-based, inclusive.
    var zeroBased: ClosedRange<Int> { (first - 1)...(last - 1) }
}

/// A file read from disk, with its language.
struct SourceFile {
    var path: String
    var name: String
    var language: String
    var text: String

    init(path: String, language: String?) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("\(path) is not UTF-8 text")
        }
        self.path = path
        self.name = URL(fileURLWithPath: path).lastPathComponent
        self.language = language ?? Self.language(ofExtension: URL(fileURLWithPath: path).pathExtension)
        self.text = text
    }

    /// The number of lines (a final newline does not start another).
    var lineCount: Int {
        let count = text.split(separator: "\n", omittingEmptySubsequences: false).count
        return text.hasSuffix("\n") ? count - 1 : count
    }

    /// The bytes of `lines` (clamped to the file; see `checkLines`).
    func byteRange(of lines: LineSpan) -> Range<Int> {
        ActionInput.byteRange(lines: lines.zeroBased, in: text)
    }

    /// LSP language identifiers by file extension; the extension itself otherwise.
    static func language(ofExtension ext: String) -> String {
        let known: [String: String] = [
            "py": "python", "swift": "swift", "js": "javascript", "mjs": "javascript", "cjs": "javascript",
            "jsx": "javascriptreact", "ts": "typescript", "tsx": "typescriptreact", "lua": "lua", "el": "emacs-lisp",
            "lisp": "lisp", "cl": "lisp", "scm": "scheme", "clj": "clojure", "c": "c", "h": "c", "cc": "cpp",
            "cpp": "cpp", "cxx": "cpp", "hpp": "cpp", "rs": "rust", "go": "go", "java": "java", "kt": "kotlin",
            "rb": "ruby", "sh": "shellscript", "bash": "shellscript", "php": "php", "cs": "csharp", "m": "objective-c",
            "zig": "zig", "hs": "haskell", "ml": "ocaml", "ex": "elixir", "exs": "elixir", "scala": "scala",
            "sql": "sql", "r": "r", "jl": "julia", "dart": "dart", "vim": "vim", "nix": "nix",
        ]
        return known[ext.lowercased()] ?? ext.lowercased()
    }
}

/// Rejects lines past the end of the file, naming the file's length.
func checkLines(_ lines: LineSpan?, in source: SourceFile) throws {
    guard let lines else { return }
    guard lines.first <= max(source.lineCount, 1) else {
        throw ValidationError("\(source.path) has \(source.lineCount) lines; line \(lines.first) does not exist")
    }
}

/// Prints `value` as compact JSON on stdout.
func printJSON(_ value: some Encodable) throws {
    print(try JSONValueEncoder().encode(value).serialized())
}

/// Writes a line to stderr.
func printError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
