/// Cuts a Python answer's restatement of the function the cursor is in: its `def` header and
/// the docstring below it, leaving the body.
///
/// Asked for the body of `def f(...)`, small models (the aggregation especially) often write the
/// whole function again, with the docstring reworded or shortened. `OverlapTrimmer` cuts only
/// an exact repeat, so the reworded one used to go into the body as a nested `def f`, and the
/// user's `f` returned `None`. Here the header is recognised by the function's name alone
/// (annotations and wording may differ), and only when the cursor is inside that function.
enum RestatedFunction {
    /// `inside`: the insertion is in a function's body (an indented cursor, an empty body below
    /// the header, or indented lines being rewritten); at column 0 below a finished function the
    /// same name is a new definition.
    ///
    /// Asked for the whole function (`CompletePrompt.wholeFunction`), models also write what it
    /// needs above it: imports and helper functions. Where the restated `def` is not the answer's
    /// first line but is at the indentation its other top-level lines start at, the lines above it
    /// are that preamble: its imports go (the file's own imports stay, and `MissingImports` adds
    /// the standard-library ones the code needs in the right place), and the rest follows the
    /// body, where a helper is a top-level definition `CodeCleanup` keeps when the body uses it.
    ///
    /// A method or a nested function is restated inside what encloses it: the answer repeats the
    /// class (or outer function), its imports, sometimes its other methods. There the body is the
    /// restated function's own lines, up to where the answer leaves that function; everything
    /// around it is the file's already and goes.
    static func trim(_ code: [String], before: ArraySlice<String>, inside: Bool, language: String) -> [String] {
        guard language == "python", inside, let name = enclosingFunction(before),
            let first = code.firstIndex(where: { !$0.isBlank })
        else { return code }
        let level = Indentation.width(of: code[first])
        if let nested = nestedBody(code, name: name, level: level) { return nested }
        guard let start = code.indices[first...].first(where: {
                !code[$0].isBlank && Indentation.width(of: code[$0]) == level && defines(code[$0], name)
            }),
            code[first..<start].allSatisfy({ $0.isBlank || Indentation.width(of: $0) >= level }),
            let headerEnd = headerEnd(code, from: start)
        else { return code }
        var rest = Array(code[(headerEnd + 1)...].drop { $0.isBlank })
        if let end = docstringEnd(rest) {
            rest = Array(rest[(end + 1)...].drop { $0.isBlank })
        }
        // The function's own decorators are the file's to keep, not the answer's to add.
        var above = start
        while above > first, code[above - 1].trimmed.hasPrefix("@") { above -= 1 }
        let preamble = code[first..<above].filter { !isImport($0, level: level) }
        guard preamble.contains(where: { !$0.isBlank }) else { return rest }
        while let last = rest.last, last.isBlank { rest.removeLast() }
        return rest + ["", ""] + Array(preamble.drop { $0.isBlank })
    }

    /// The body of `name` restated deeper than the answer's first line (inside a restated class
    /// or outer function): the lines after its header and docstring that are indented deeper
    /// than its `def`, up to the first that is not. `nil` when the answer has no such `def`.
    private static func nestedBody(_ code: [String], name: Substring, level: Int) -> [String]? {
        guard let start = code.indices.first(where: {
                !code[$0].isBlank && Indentation.width(of: code[$0]) > level && defines(code[$0], name)
            }),
            let headerEnd = headerEnd(code, from: start)
        else { return nil }
        let width = Indentation.width(of: code[start])
        var body = Array(code[(headerEnd + 1)...].prefix { $0.isBlank || Indentation.width(of: $0) > width }.drop { $0.isBlank })
        if let end = docstringEnd(body) {
            body = Array(body[(end + 1)...].drop { $0.isBlank })
        }
        while let last = body.last, last.isBlank { body.removeLast() }
        return body
    }

    /// An `import m` or `from m import n` line at the answer's top level.
    private static func isImport(_ line: String, level: Int) -> Bool {
        let text = line.trimmed
        return Indentation.width(of: line) == level && (text.hasPrefix("import ") || (text.hasPrefix("from ") && text.contains(" import ")))
    }

    /// The name of the function whose body the text after `before` is in: the last `def` with
    /// every non-blank line after its header indented deeper than it.
    static func enclosingFunction(_ before: ArraySlice<String>) -> Substring? {
        guard let index = before.lastIndex(where: { functionName($0) != nil }), let name = functionName(before[index]),
            let end = headerEnd(Array(before[index...]), from: 0)
        else { return nil }
        let width = Indentation.width(of: before[index])
        let inside = before[(index + end + 1)...].allSatisfy { $0.isBlank || Indentation.width(of: $0) > width }
        return inside ? name : nil
    }

    /// The indentation width of the `def` of the function the text after `before` is in
    /// (`enclosingFunction`); `nil` outside a function.
    static func enclosingFunctionIndentation(_ before: ArraySlice<String>) -> Int? {
        guard enclosingFunction(before) != nil, let index = before.lastIndex(where: { functionName($0) != nil }) else { return nil }
        return Indentation.width(of: before[index])
    }

    /// The function whose body the cursor starts: above it, in that function, only its header
    /// and docstring; after it, nothing more of the function. `nil` anywhere else, and for
    /// languages other than Python.
    static func emptyBody(_ insertion: ContextExtractor.Insertion) -> Substring? {
        let before = insertion.linesBefore
        guard insertion.context.language == "python", insertion.replacedLines == nil,
            insertion.lead.isBlank, insertion.tail.isBlank, let name = enclosingFunction(before),
            let index = before.lastIndex(where: { functionName($0) != nil }),
            let end = headerEnd(Array(before[index...]), from: 0)
        else { return nil }
        var body = Array(before[(index + end + 1)...].drop { $0.isBlank })
        if let docstring = docstringEnd(body) { body = Array(body[(docstring + 1)...]) }
        guard body.allSatisfy(\.isBlank) else { return nil }
        let width = Indentation.width(of: before[index])
        if let next = insertion.linesAfter.first(where: { !$0.isBlank }), Indentation.width(of: next) > width {
            return nil
        }
        return name
    }

    static func defines(_ line: String, _ name: Substring) -> Bool {
        functionName(line) == name
    }

    /// The name a `def`/`async def` line defines.
    private static func functionName(_ line: String) -> Substring? {
        var text = Substring(line.trimmed)
        if text.hasPrefix("async ") { text = text.dropFirst(6).drop { $0 == " " } }
        guard text.hasPrefix("def ") else { return nil }
        let name = text.dropFirst(4).drop { $0 == " " }.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
        return name.isEmpty ? nil : name
    }

    /// The last line of a header starting at `first`: where its brackets close on a `:`.
    private static func headerEnd(_ code: [String], from first: Int) -> Int? {
        var balance = 0
        for index in code.indices[first...].prefix(12) {
            balance += SourceLine.bracketBalance(code[index])
            if balance <= 0, code[index].trailingTrimmed.hasSuffix(":") { return index }
        }
        return nil
    }

    /// When `lines` starts with a docstring, the index of its last line.
    private static func docstringEnd(_ lines: [String]) -> Int? {
        guard let opening = lines.first?.trimmed.drop(while: { "rRbBuUfF".contains($0) }),
            let quote = ["\"\"\"", "'''"].first(where: { opening.hasPrefix($0) })
        else { return nil }
        if opening.dropFirst(3).contains(quote) { return 0 }
        return lines.indices.dropFirst().first { lines[$0].contains(quote) }
    }
}
