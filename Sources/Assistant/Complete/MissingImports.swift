import Foundation

/// Finds the standard-library modules that completed Python code uses but the file never
/// imports, so the completion can bring its `import` lines along (a 0.5B model often writes
/// `math.sqrt(x)` in a function body and leaves the import out).
///
/// Python itself decides, with its own parser: `python3 -I` reads the file with the code in
/// place on stdin, and a name counts as missing when the inserted lines use it as `name.attr`,
/// it is one of `sys.stdlib_module_names` (Python 3.10+), and nothing in the file binds it
/// anywhere — no import, assignment, parameter, function, class or `global` of that name, and it
/// is not a builtin. Conservative by construction: a name bound anywhere in the file (a
/// parameter called `string`, say) is left alone. Third-party modules are never added (whether
/// `np` means numpy is a guess). No `python3`, a file that does not parse, or a run over
/// `timeout`: no imports, no error — the completion is inserted as it is.
public struct MissingImports: Sendable {
    /// Longest a run may take.
    public var timeout: Duration
    /// Where to look for `python3`; `nil`: the process's `PATH`.
    public var searchPath: String?

    public init(timeout: Duration = .seconds(5), searchPath: String? = nil) {
        self.timeout = timeout
        self.searchPath = searchPath
    }

    /// The imports `code`, put in place of `replace` in `input.text`, needs; `nil` when none is
    /// missing, the language is not Python, or Python cannot tell.
    public func insertion(for code: String, replacing replace: Range<Int>, in input: ActionInput) async -> ImportInsertion? {
        guard input.language == "python", !code.isBlank,
              let python = ToolProcess.find("python3", path: searchPath ?? ProcessInfo.processInfo.environment["PATH"])
        else { return nil }
        let bytes = Array(input.text.utf8)
        let lower = min(max(replace.lowerBound, 0), bytes.count)
        let upper = min(max(replace.upperBound, lower), bytes.count)
        let before = String(decoding: bytes[..<lower], as: UTF8.self)
        let program = before + code + String(decoding: bytes[upper...], as: UTF8.self)
        // 1-based lines of the inserted code in `program`.
        let first = before.utf8.count { $0 == 0x0A } + 1
        let last = first + code.utf8.count { $0 == 0x0A }
        let outcome = await ToolProcess(
            executable: python, arguments: ["-I", "-W", "ignore", "-c", Self.script, "\(first)", "\(last)"],
            input: program, workingDirectory: FileManager.default.temporaryDirectory.path, timeout: timeout
        ).run()
        guard outcome.succeeded else { return nil }
        return Self.parse(outcome.stdout, codeStartLine: first - 1, document: input.text)
    }

    /// The script's answer — the 0-based line to insert before, then one module per line —
    /// as an insertion into `document`; `nil` for no modules or a line not above the code.
    static func parse(_ output: String, codeStartLine: Int, document: String) -> ImportInsertion? {
        let lines = output.splitLines.map(\.trimmed).filter { !$0.isEmpty }
        guard let first = lines.first, let line = Int(first), line >= 0, line <= codeStartLine else { return nil }
        let modules = lines.dropFirst().filter { name in
            !name.isEmpty && name.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
        }
        guard !modules.isEmpty else { return nil }
        let source = SourceText(document)
        guard line < source.lines.count else { return nil }
        let offset = source.offset(line: line, column: 0)
        return ImportInsertion(offset: offset, text: modules.map { "import \($0)\n" }.joined(), modules: Array(modules))
    }

    /// Prints the 0-based line to insert before, then the missing modules; nothing when none
    /// is missing. Arguments: the first and last 1-based line of the inserted code.
    static let script = """
        import ast, builtins, re, sys
        first, last = int(sys.argv[1]), int(sys.argv[2])
        source = sys.stdin.read()
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            sys.exit(0)
        modules = getattr(sys, "stdlib_module_names", ())
        bound, used = set(dir(builtins)), set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
                bound.add(node.id)
            elif isinstance(node, ast.arg):
                bound.add(node.arg)
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                bound.update((a.asname or a.name).split(".")[0] for a in node.names)
            elif isinstance(node, (ast.Global, ast.Nonlocal)):
                bound.update(node.names)
            elif isinstance(getattr(node, "name", None), str):
                bound.add(node.name)
            elif isinstance(getattr(node, "rest", None), str):
                bound.add(node.rest)
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and isinstance(node.value.ctx, ast.Load) and first <= node.lineno <= last):
                used.add(node.value.id)
        missing = sorted(n for n in used - bound if n in modules and not n.startswith("_"))
        if not missing:
            sys.exit(0)
        body, line = tree.body, 0
        lines = source.splitlines()
        while line < len(lines) and line < 2 and (
                lines[line].startswith("#!") or re.match(r"^[ \\t\\f]*#.*?coding[:=]", lines[line])):
            line += 1
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \\
                and isinstance(body[0].value.value, str) and body[0].end_lineno < first:
            line = body[0].end_lineno
        for stmt in body:
            if stmt.lineno >= first:
                break
            if isinstance(stmt, (ast.Import, ast.ImportFrom)):
                line = stmt.end_lineno
        print(line)
        print("\\n".join(missing))
        """
}
