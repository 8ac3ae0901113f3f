import ArgumentParser
import Assistant
import SelfMoA

/// `selfmoa-lsp complete FILE --line L [--column C]`: writes the code that belongs at a cursor
/// and prints it; `--lines A-B` instead rewrites those lines (a stub, a TODO) and prints their
/// replacement. With `--json`, also where the code goes (byte range, 1-based line and column),
/// the imports it needs and the cost report. Progress, the cost summary and the imports to add
/// (without `--json`) go to stderr.
struct CompleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "complete",
        abstract: "Write the code that belongs at a position, or rewrite some lines, with Self-MoA."
    )

    @Argument(help: "The file to complete.")
    var file: String

    @Option(help: "The cursor's line (1-based).")
    var line: Int?

    @Option(help: "The cursor's column in characters (1-based; default: the end of the line).")
    var column: Int?

    @Option(help: "Rewrite these lines instead: A-B or A (1-based, inclusive).")
    var lines: LineSpan?

    @Flag(help: "Use the settings of completion while typing (fewer samples and tokens).")
    var short = false

    @Option(help: "The mode of the whole-function ask at an empty top-level Python function: auto, selfmoa, seq or single (--mode does not change it).")
    var wholeFunctionMode: String?

    @Flag(inversion: .prefixedNo, help: "When no candidate's code parses, ask the model once to correct it from the checker's message (default: on).")
    var correctUnparsed: Bool?

    @Flag(inversion: .prefixedNo, help: "In C and C++, show the model the definitions of the types the function names, from the headers the file includes (default: off).")
    var headerDeclarations: Bool?

    @Flag(inversion: .prefixedNo, help: "Show the model the code most like the cursor's from the files beside the file (default: off).")
    var similarCode: Bool?

    @OptionGroup var action: ActionOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        switch (line, lines) {
        case (nil, nil): throw ValidationError("give the cursor with --line L [--column C], or lines to rewrite with --lines A-B")
        case (.some, .some): throw ValidationError("give either --line or --lines, not both")
        default: break
        }
        if let line, line < 1 { throw ValidationError("--line must be at least 1") }
        if let column, column < 1 { throw ValidationError("--column must be at least 1") }
        if column != nil, line == nil { throw ValidationError("--column needs --line") }
        if let wholeFunctionMode, SelfMoAMode(rawValue: wholeFunctionMode) == nil {
            throw ValidationError("--whole-function-mode must be auto, selfmoa, seq or single (got \(wholeFunctionMode))")
        }
    }

    func run() async throws {
        let source = try SourceFile(path: file, language: action.language)
        let selection: Range<Int>
        if let lines {
            try source.check(lines)
            selection = source.byteRange(of: lines)
        } else {
            let line = line ?? 1
            try source.check(LineSpan(first: line, last: line))
            let offset = ActionInput.byteOffset(line: line - 1, characters: column.map { $0 - 1 }, in: source.text)
            selection = offset..<offset
        }
        let input = source.input(selection: selection)
        let kind: ActionKindName = short ? .completion : .complete
        let reporter = action.progressReporter
        let overrides = ActionSettings(
            wholeFunctionMode: wholeFunctionMode.flatMap(SelfMoAMode.init(rawValue:)), correctUnparsed: correctUnparsed,
            headerDeclarations: headerDeclarations, similarCode: similarCode)
        let result = try await action.withAssistant(for: kind, logging: logging, overrides: overrides) {
            try await $0.complete(input, kind: kind, onProgress: reporter)
        }
        action.finish(result.cost)
        let imports = result.imports.map { insertion in
            ImportsOutput(
                offset: insertion.offset, line: source.text.utf8.prefix(insertion.offset).count { $0 == 0x0A } + 1,
                text: insertion.text, statements: insertion.statements
            )
        }
        if let refusal = result.refusal, !action.json {
            printError("selfmoa-lsp complete: \(refusal)")
            throw ExitCode.failure
        }
        if action.json {
            try printJSON(CompleteOutput(
                file: file, code: result.code, start: result.replace.lowerBound, end: result.replace.upperBound,
                line: line, column: column, lines: lines, imports: imports, refusal: result.refusal, cost: result.cost
            ))
        } else {
            print(result.code)
            if let imports {
                printError("the code needs \(imports.statements.joined(separator: "; ")): add it before line \(imports.line)")
            }
        }
    }
}

private struct CompleteOutput: Encodable {
    var file: String
    var code: String
    /// UTF-8 byte offsets of the replaced range (equal: an insertion).
    var start: Int
    var end: Int
    var line: Int?
    var column: Int?
    var lines: LineSpan?
    /// The imports the code needs and the file lacks, if any.
    var imports: ImportsOutput?
    /// Why nothing is to be inserted (no candidate's code parses in the file).
    var refusal: String?
    var cost: CostReport
}

/// Imports to insert along with the code: at byte `offset`, the start of 1-based `line`.
private struct ImportsOutput: Encodable {
    var offset: Int
    var line: Int
    var text: String
    var statements: [String]
}
