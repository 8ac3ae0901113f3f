import Foundation

/// Parses code with the toolchains installed on this machine, one subprocess per check, the
/// source on stdin:
///
/// | languages | command |
/// |---|---|
/// | `python` | `python3 -I -c 'import sys; compile(sys.stdin.read(), "<candidate>", "exec")'` |
/// | `swift` | `swiftc -parse -` |
/// | `javascript`, `javascriptreact` | `node --check` (`--input-type=module` for `import`/`export`) |
/// | `typescript`, `typescriptreact` | `tsc --noEmit` on a temporary file (only when `tsc` is on `PATH`); only its syntax errors (TS1xxx) count, as a file checked alone resolves none of its imports |
/// | `c` | `cc -fsyntax-only -x c -` |
/// | `cpp` | `c++ -fsyntax-only -x c++ -` |
///
/// C and C++ checked as a file on disk (`check(_:language:file:)`) run in that file's directory
/// with its `CompilationFlags`: the include directories and macros of the project's
/// `compile_commands.json`, else the file's own directory.
///
/// Python's `compile` runs nothing; unlike `ast.parse` it also rejects what only the compiler
/// sees, such as `return` outside a function (code that lost its indentation). The C compilers
/// check more than syntax: code whose only errors are names and types (`CompilerErrors`; an
/// undeclared name, a member the type lacks) is `unresolved`, not `invalid`, so a caller can tell
/// code that parses but does not compile from code that does not parse. They run with
/// `LC_MESSAGES=C`, as their messages are read.
/// A language without an entry, or whose tool is not on `PATH`, is `unavailable`.
public struct ToolchainSyntaxChecker: SyntaxChecker {
    /// Seconds one check may take before it counts as unavailable.
    public var timeout: Duration
    /// Where to look for the tools; `nil`: the process's `PATH`.
    public var searchPath: String?

    public init(timeout: Duration = .seconds(20), searchPath: String? = nil) {
        self.timeout = timeout
        self.searchPath = searchPath
    }

    /// The languages this checker knows (whether or not their tool is installed).
    public static let languages: Set<String> = [
        "python", "swift", "javascript", "javascriptreact", "typescript", "typescriptreact", "c", "cpp",
    ]

    public func check(_ source: String, language: String) async -> SyntaxVerdict {
        await check(source, language: language, file: nil)
    }

    public func check(_ source: String, language: String, file path: String?) async -> SyntaxVerdict {
        await checked(source, language: language, file: path).verdict
    }

    /// C and C++: the verdict, and where it is `invalid` the compiler's own fix-it hints
    /// (`-fdiagnostics-parseable-fixits`: "did you mean `tok_embd`?" as an edit), from one run.
    public func corrections(_ source: String, language: String, file path: String?) async -> (SyntaxVerdict, [FixIt]) {
        guard language == "c" || language == "cpp" else { return (await check(source, language: language, file: path), []) }
        let (verdict, outcome) = await checked(source, language: language, file: path, extra: ["-fdiagnostics-parseable-fixits"])
        guard let outcome else { return (verdict, []) }
        switch verdict {
        case .invalid, .unresolved: break
        case .valid, .unavailable: return (verdict, [])
        }
        return (verdict, FixIt.parse(outcome.stderr))
    }

    /// Runs the language's check of `source`, with `extra` arguments before the source's: the
    /// verdict, and the tool's outcome when it ran.
    private func checked(
        _ source: String, language: String, file path: String?, extra: [String] = []
    ) async -> (verdict: SyntaxVerdict, outcome: ToolProcess.Outcome?) {
        guard var command = command(for: language, source: source) else {
            return (.unavailable("no syntax checker for \(language)"), nil)
        }
        guard let executable = ToolProcess.find(command.tool, path: searchPath ?? ProcessInfo.processInfo.environment["PATH"]) else {
            return (.unavailable("\(command.tool) not found on PATH: \(language) candidates are not parsed"), nil)
        }
        command.arguments.insert(contentsOf: extra, at: 0)
        var workingDirectory: String?
        var environment: [String: String]?
        if language == "c" || language == "cpp" {
            environment = Self.englishMessages(ProcessInfo.processInfo.environment)
        }
        if language == "c" || language == "cpp", let path {
            let directory = (path as NSString).deletingLastPathComponent
            if FileManager.default.fileExists(atPath: directory) {
                command.arguments.insert(contentsOf: CompilationFlags.of(file: path).arguments, at: command.arguments.count - 1)
                workingDirectory = directory
            }
        }
        var scratch: String?
        defer { if let scratch { try? FileManager.default.removeItem(atPath: scratch) } }
        var arguments = command.arguments
        var input = source
        if let ext = command.fileExtension {
            // tsc reads files only.
            guard let directory = try? Scratch.directory() else { return (.unavailable("no temporary directory"), nil) }
            scratch = directory
            let file = directory + "/candidate." + ext
            guard FileManager.default.createFile(atPath: file, contents: Data(source.utf8)) else {
                return (.unavailable("cannot write \(file)"), nil)
            }
            arguments.append(file)
            input = ""
        }
        let outcome = await ToolProcess(
            executable: executable, arguments: arguments, input: input, environment: environment,
            workingDirectory: scratch ?? workingDirectory ?? FileManager.default.temporaryDirectory.path, timeout: timeout
        ).run()
        return (verdict(of: outcome, tool: command.tool, language: language), outcome)
    }

    private func verdict(of outcome: ToolProcess.Outcome, tool: String, language: String) -> SyntaxVerdict {
        if let failure = outcome.launchFailure { return .unavailable("\(tool) could not run: \(failure)") }
        if outcome.timedOut { return .unavailable("\(tool) took longer than \(timeout)") }
        if outcome.status == 0 { return .valid }
        // tsc checks types too, and a file checked alone resolves none of its imports: only its
        // syntax errors (TS1xxx) are the candidate's.
        if language.hasPrefix("typescript"), !Self.hasSyntaxError(tsc: outcome.stdout + outcome.stderr) { return .valid }
        // A header the file includes that is not found here (no file on disk, or a project
        // without a compilation database whose headers live elsewhere) is the check's limit, not
        // the candidate's fault.
        if language == "c" || language == "cpp", let missing = Self.missingHeader(outcome.stderr) {
            return .unavailable(
                "\(tool) cannot find \(missing), so candidates are not parsed: a compile_commands.json in the project "
                    + "(CMake: -DCMAKE_EXPORT_COMPILE_COMMANDS=ON) tells the check where the headers are")
        }
        if language == "c" || language == "cpp" {
            let errors = CompilerErrors(outcome.stderr)
            if errors.onlyNamesAndTypes {
                return .unresolved(Self.complaint(outcome), lines: errors.lines.map { $0 ?? 0 })
            }
            // The first error that is not about names and types is the one to show.
            if let syntax = errors.errors.first(where: { !$0.isNameOrType }),
                let line = outcome.stderr.split(whereSeparator: \.isNewline).first(where: { $0.contains(syntax.message) }) {
                return .invalid(String(line.trimmingCharacters(in: .whitespaces).prefix(200)))
            }
        }
        return .invalid(Self.complaint(outcome))
    }

    /// `environment` with the messages in English (`LC_MESSAGES=C`, no `LC_ALL` or `LANGUAGE`
    /// to override it); the character set it had stays (`LC_ALL`'s becomes `LC_CTYPE`).
    static func englishMessages(_ environment: [String: String]) -> [String: String] {
        var english = environment
        if let all = english.removeValue(forKey: "LC_ALL"), !all.isEmpty { english["LC_CTYPE"] = all }
        english.removeValue(forKey: "LANGUAGE")
        english["LC_MESSAGES"] = "C"
        return english
    }

    /// The tool's first line that names an error (`SyntaxError: Unexpected token '}'`,
    /// `error: expected ';'`), else its last line: node and tsc end with a version or a count.
    static func complaint(_ outcome: ToolProcess.Outcome) -> String {
        let lines = (outcome.stderr + "\n" + outcome.stdout).split(whereSeparator: \.isNewline)
        if let named = lines.first(where: { $0.contains("Error:") || $0.contains("error:") || $0.contains("error TS") }) {
            return String(named.trimmingCharacters(in: .whitespaces).prefix(200))
        }
        return outcome.lastLine()
    }

    /// Whether tsc's output names a syntax error (`error TS1005: ';' expected`): codes below
    /// 2000 are the parser's; the rest are types, names and modules.
    static func hasSyntaxError(tsc output: String) -> Bool {
        output.split(whereSeparator: \.isNewline).contains { line in
            guard let range = line.range(of: "error TS") else { return false }
            let digits = line[range.upperBound...].prefix { $0.isNumber }
            return Int(digits).map { $0 < 2000 } ?? false
        }
    }

    /// The header a C compiler's `fatal error` says it cannot find, if that is what stopped it.
    static func missingHeader(_ stderr: String) -> String? {
        for line in stderr.split(separator: "\n") where line.contains("fatal error:") {
            if line.contains("No such file or directory") || line.contains("file not found") {
                let text = line.split(separator: "fatal error:").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? String(line)
                return String(text.split(separator: ":").first ?? Substring(text))
            }
        }
        return nil
    }

    private struct Command {
        var tool: String
        var arguments: [String]
        var fileExtension: String?
    }

    private func command(for language: String, source: String) -> Command? {
        switch language {
        case "python":
            return Command(
                tool: "python3",
                arguments: ["-I", "-W", "ignore", "-c", "import sys; compile(sys.stdin.read(), '<candidate>', 'exec', dont_inherit=True)"]
            )
        case "swift":
            return Command(tool: "swiftc", arguments: ["-parse", "-"])
        case "javascript", "javascriptreact":
            return Command(tool: "node", arguments: Self.isModule(source) ? ["--check", "--input-type=module"] : ["--check"])
        case "typescript", "typescriptreact":
            return Command(
                tool: "tsc",
                arguments: ["--noEmit", "--pretty", "false", "--skipLibCheck", "--noResolve", "--isolatedModules"]
                    + (language == "typescriptreact" ? ["--jsx", "preserve"] : []),
                fileExtension: language == "typescriptreact" ? "tsx" : "ts"
            )
        case "c":
            return Command(tool: "cc", arguments: ["-fsyntax-only", "-x", "c", "-"])
        case "cpp":
            return Command(tool: "c++", arguments: ["-fsyntax-only", "-x", "c++", "-"])
        default:
            return nil
        }
    }

    /// An ES module: a line starting with `import ` or `export `.
    static func isModule(_ source: String) -> Bool {
        source.split(whereSeparator: \.isNewline).contains { line in
            line.hasPrefix("import ") || line.hasPrefix("export ")
        }
    }
}
