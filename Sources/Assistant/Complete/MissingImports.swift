import Foundation
import Tools

/// Finds the standard-library imports completed Python code needs and the file lacks, so the
/// completion can bring its `import` lines along (a 0.5B model often writes `math.sqrt(x)` or
/// `reduce(...)` in a function body and leaves the import out).
///
/// Python itself decides, with its own parser: `python3 -I` reads the file with the code in
/// place on stdin (running nothing). A name the inserted lines use counts as missing when
/// nothing in the file binds it anywhere — no import, assignment, parameter, function, class or
/// `global` of that name — and it is not a builtin. Then:
///
/// - used as `name.attr`, and one of `sys.stdlib_module_names` (Python 3.10+): `import name`;
/// - used bare, and one of a short list of standard functions and types that code uses
///   without their module (`factorial`, `reduce`, `Counter`, `List`, … in `fromImports`):
///   `from module import name`.
///
/// Conservative by construction: a name bound anywhere in the file (a parameter called
/// `string`, say) is left alone, and third-party modules are never added (whether `np` means
/// numpy is a guess). No `python3`, a file that does not parse, or a run over `timeout`: no
/// imports, no error — the completion is inserted as it is.
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
        let script = PythonScript(Self.script, timeout: timeout, searchPath: searchPath)
        guard input.language == "python", !code.isBlank, script.isAvailable else { return nil }
        let bytes = Array(input.text.utf8)
        let lower = min(max(replace.lowerBound, 0), bytes.count)
        let upper = min(max(replace.upperBound, lower), bytes.count)
        let before = String(decoding: bytes[..<lower], as: UTF8.self)
        let program = before + code + String(decoding: bytes[upper...], as: UTF8.self)
        // 1-based lines of the inserted code in `program`.
        let first = before.utf8.count { $0 == 0x0A } + 1
        let last = first + code.utf8.count { $0 == 0x0A }
        guard let output = await script.run(arguments: ["\(first)", "\(last)"], input: program) else { return nil }
        return Self.parse(output, codeStartLine: first - 1, document: input.text)
    }

    /// The script's answer — the 0-based line to insert before, then one statement per line —
    /// as an insertion into `document`; `nil` for no statements or a line not above the code.
    static func parse(_ output: String, codeStartLine: Int, document: String) -> ImportInsertion? {
        let lines = output.splitLines.map(\.trimmed).filter { !$0.isEmpty }
        guard let first = lines.first, let line = Int(first), line >= 0, line <= codeStartLine else { return nil }
        let statements = lines.dropFirst().filter(isImport)
        guard !statements.isEmpty else { return nil }
        let source = SourceText(document)
        guard line < source.lines.count else { return nil }
        return ImportInsertion(offset: source.offset(line: line, column: 0), statements: Array(statements))
    }

    /// `import name` or `from module import name`, names being plain identifiers.
    static func isImport(_ statement: String) -> Bool {
        let words = statement.split(separator: " ", omittingEmptySubsequences: false)
        let identifier = { (word: Substring) in
            !word.isEmpty && word.first?.isNumber == false
                && word.unicodeScalars.allSatisfy { $0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0) }
        }
        switch words.count {
        case 2: return words[0] == "import" && identifier(words[1])
        case 4: return words[0] == "from" && identifier(words[1]) && words[2] == "import" && identifier(words[3])
        default: return false
        }
    }

    /// Standard functions and types code often uses by their bare name, and their modules.
    static let fromImports: [String: [String]] = [
        "math": ["factorial", "gcd", "lcm", "sqrt", "isqrt", "floor", "ceil", "comb", "perm", "prod", "fsum", "hypot",
                 "log2", "log10", "isclose", "pi"],
        "functools": ["reduce", "lru_cache", "cache", "cmp_to_key", "partial"],
        "itertools": ["permutations", "combinations", "combinations_with_replacement", "accumulate", "groupby",
                      "zip_longest", "islice"],
        "collections": ["Counter", "defaultdict", "deque", "OrderedDict", "namedtuple"],
        "heapq": ["heappush", "heappop", "heapify", "nlargest", "nsmallest"],
        "bisect": ["bisect_left", "bisect_right", "insort"],
        "statistics": ["mean", "median", "stdev"],
        "typing": ["List", "Dict", "Tuple", "Set", "Optional", "Union", "Any", "Callable", "Iterable", "Iterator",
                   "Sequence"],
    ]

    /// `fromImports` as the script's Python dictionary literal (name → module).
    static var fromImportsLiteral: String {
        let pairs = fromImports.sorted { $0.key < $1.key }.flatMap { module, names in names.map { "\"\($0)\": \"\(module)\"" } }
        return "{" + pairs.joined(separator: ", ") + "}"
    }

    /// Prints the 0-based line to insert before, then the missing import statements; nothing
    /// when none is missing. Arguments: the first and last 1-based line of the inserted code.
    static let script = "FROM_IMPORTS = \(fromImportsLiteral)\n" + """
        import ast, builtins, re, sys
        first, last = int(sys.argv[1]), int(sys.argv[2])
        source = sys.stdin.read()
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError):
            sys.exit(0)
        modules = getattr(sys, "stdlib_module_names", ())
        functions = FROM_IMPORTS
        bound, used, bare = set(dir(builtins)), set(), set()
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
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and first <= node.lineno <= last:
                bare.add(node.id)
        missing = ["import " + n for n in sorted(used - bound) if n in modules and not n.startswith("_")]
        missing += ["from %s import %s" % (functions[n], n) for n in sorted(bare - bound - used) if n in functions]
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
