/// Fits an answer in a brace language (`BraceBlock.languages`) to the block the cursor is in, by
/// the language's brackets rather than by indentation:
///
/// - a restatement of the file's top before the body — its `#include`s or imports and the other
///   top-level lines above the function, which a chat answer (the model's correction) often
///   opens with — is cut; inside a function body those lines compile (an included header's
///   guard makes a second `#include` empty) but are not code for the place;
/// - a restatement of the enclosing function's header (`function f(a) {`, `func f() -> Int {`,
///   `const f = (a) => {`, `int f(int a) {`), with the comments above it, is cut, so the body is
///   what remains;
/// - the answer ends where it would close the cursor's block: when the file already has that
///   closing `}` after the cursor, the answer's own `}` and everything after it go (the usage
///   code, `// Test cases`, `console.log(...)` small models append); when the file does not, the
///   `}` stays (with a `;`, `)` or `,` right after it) and the rest goes.
///
/// A cursor outside every block (top level) is left alone: there a new function is the answer.
enum BraceCleanup {
    static func trim(_ code: [String], insertion: ContextExtractor.Insertion) -> [String] {
        guard BraceBlock.applies(to: insertion.context.language) else { return code }
        let before = (insertion.linesBefore.map { $0 + "\n" }.joined()) + insertion.lead
        guard let open = BraceBlock.innermostOpen(in: before) else { return code }
        let after = insertion.tail + "\n" + insertion.linesAfter.joined(separator: "\n")
        let fileCloses = BraceBlock.firstUnmatchedClose(in: after) != nil
        let header = line(containing: open, in: before)
        let top = topLevelLines(String(Array(before)[..<lineStart(of: open, in: before)]))
        let lines = dropRestatedHeader(dropRestatedFileTop(code, topLevel: top), header: header)
        return cutAtEnclosingClose(lines, fileCloses: fileCloses)
    }

    /// Where the answer keeps the `}` of the cursor's block (the file lacks it), the indentation
    /// of the line that opened the block, which that `}` takes; `nil` elsewhere.
    static func closingIndentation(_ insertion: ContextExtractor.Insertion) -> String? {
        guard BraceBlock.applies(to: insertion.context.language) else { return nil }
        let before = (insertion.linesBefore.map { $0 + "\n" }.joined()) + insertion.lead
        guard let open = BraceBlock.innermostOpen(in: before) else { return nil }
        let after = insertion.tail + "\n" + insertion.linesAfter.joined(separator: "\n")
        guard BraceBlock.firstUnmatchedClose(in: after) == nil else { return nil }
        return Indentation.prefix(of: line(containing: open, in: before))
    }

    /// `code` with its last line, when it is the kept closing `}`, at `indentation`.
    static func indentClosing(_ code: String, indentation: String) -> String {
        var lines = code.splitLines
        guard lines.count > 1, let last = lines.last, last.trimmed.hasPrefix("}") else { return code }
        lines[lines.count - 1] = indentation + last.trimmed
        return lines.joined(separator: "\n")
    }

    /// An answer that ended on its own (not cut off) with blocks it opened still open — small
    /// models often take the file's `}` for their own inner block's — with each of those blocks
    /// closed on a line of its own, indented like the line that opened it. Left alone when it
    /// closes a block it did not open, leaves a parenthesis or square bracket open (an
    /// unfinished expression), or is not in a brace language.
    static func closingOpenBlocks(_ code: String, language: String) -> String {
        guard BraceBlock.applies(to: language) else { return code }
        var open: [Int] = []
        var others = 0
        for bracket in BraceBlock.brackets(in: code) {
            switch bracket.character {
            case "{": open.append(bracket.offset)
            case "}":
                guard !open.isEmpty else { return code }
                open.removeLast()
            case "(", "[": others += 1
            default: others -= 1
            }
        }
        guard !open.isEmpty, others == 0 else { return code }
        let characters = Array(code)
        let closers = open.reversed().map { offset -> String in
            var start = offset
            while start > 0, characters[start - 1] != "\n" { start -= 1 }
            return Indentation.prefix(of: String(characters[start..<offset])) + "}"
        }
        var text = code
        while text.last?.isWhitespace == true { text.removeLast() }
        return text + "\n" + closers.joined(separator: "\n")
    }

    /// An answer the token cap cut off inside its code, back to its last complete statement:
    /// the cut line goes, then lines from the end until nothing the code opened is left open
    /// (blocks, parentheses, square brackets, preprocessor conditionals) and the last line ends
    /// a statement (`;` or `}`; in Swift, JavaScript and TypeScript, which need no `;`, any line
    /// not ending in an operator, a comma or an opening bracket). Empty when no such point
    /// exists.
    static func lastCompleteStatement(_ lines: [String], language: String) -> [String] {
        var kept = Array(lines.dropLast())
        while let last = kept.last {
            if endsStatement(last, language: language) {
                let balance = BraceBlock.balance(of: kept.joined(separator: "\n"))
                if balance.open == 0, balance.unmatched == 0 { return kept }
            }
            kept.removeLast()
        }
        return []
    }

    /// Whether `line` can end a body: see `lastCompleteStatement`.
    static func endsStatement(_ line: String, language: String) -> Bool {
        let trimmed = line.trimmed
        guard let last = trimmed.last, !trimmed.hasPrefix("//"), !trimmed.hasPrefix("/*"), !trimmed.hasPrefix("*") else { return false }
        if last == ";" || last == "}" { return true }
        if trimmed.hasPrefix("#") { return BraceBlock.conditional(Substring(trimmed)) != 1 }
        if ",([{=+-*/%&|^!?:.<>\\".contains(last) { return false }
        return ["swift", "javascript", "javascriptreact", "typescript", "typescriptreact"].contains(language)
    }

    /// `lines` up to where they close a block they did not open.
    static func cutAtEnclosingClose(_ lines: [String], fileCloses: Bool) -> [String] {
        let text = lines.joined(separator: "\n")
        guard let close = BraceBlock.firstUnmatchedClose(in: text) else { return lines }
        let characters = Array(text)
        var end = close
        if !fileCloses {
            end += 1
            while end < characters.count, ";),".contains(characters[end]) { end += 1 }
        }
        var kept = String(characters[..<end]).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if fileCloses, let last = kept.last, last.isBlank { kept.removeLast() }
        while let last = kept.last, last.isBlank { kept.removeLast() }
        return kept
    }

    /// `code` without a leading restatement of the file's top: when its first line is an
    /// `#include`, `#import` or import the file has outside every block, the leading lines that
    /// are blank or such top-level lines of the file (`topLevel`, trimmed: its comments too).
    static func dropRestatedFileTop(_ code: [String], topLevel: Set<String>) -> [String] {
        guard let first = code.firstIndex(where: { !$0.isBlank }) else { return code }
        let opening = code[first].trimmed
        guard opening.hasPrefix("#") || SourceLine.isImport(opening), topLevel.contains(opening) else { return code }
        var index = first
        while index < code.count {
            let line = code[index].trimmed
            guard line.isEmpty || topLevel.contains(line) else { break }
            index += 1
        }
        return Array(code[index...])
    }

    /// The non-blank lines of `text` (trimmed) that begin outside every block.
    static func topLevelLines(_ text: String) -> Set<String> {
        var depthAt: [Int: Int] = [:]
        for brace in braces(text) { depthAt[brace.offset] = brace.delta }
        var result: Set<String> = []
        var depth = 0
        var lineStart = true
        var current = ""
        var startDepth = 0
        for (offset, character) in text.enumerated() {
            if lineStart { startDepth = depth; current = ""; lineStart = false }
            if character == "\n" {
                if startDepth == 0, !current.isBlank { result.insert(current.trimmed) }
                lineStart = true
                continue
            }
            current.append(character)
            if let delta = depthAt[offset] { depth = max(0, depth + delta) }
        }
        if !lineStart, startDepth == 0, !current.isBlank { result.insert(current.trimmed) }
        return result
    }

    private static func braces(_ text: String) -> [(offset: Int, delta: Int)] { BraceBlock.braces(in: text) }

    /// The character offset of the start of the line holding `offset`.
    private static func lineStart(of offset: Int, in text: String) -> Int {
        let characters = Array(text)
        var start = min(offset, characters.count)
        while start > 0, characters[start - 1] != "\n" { start -= 1 }
        return start
    }

    /// `code` without a leading restatement of the function whose body the cursor is in: its
    /// header line (by the function's name, ending in `{`) and the comments and blank lines
    /// before it.
    static func dropRestatedHeader(_ code: [String], header: String) -> [String] {
        guard let name = functionName(header), !name.isEmpty else { return code }
        var index = 0
        var inBlockComment = false
        while index < code.count {
            let line = code[index].trimmed
            if inBlockComment {
                if line.contains("*/") { inBlockComment = false }
            } else if line.isEmpty || line.hasPrefix("//") || line.hasPrefix("@") {
                // Blank lines, line comments and attributes above the header.
            } else if line.hasPrefix("/*") {
                inBlockComment = !line.contains("*/")
            } else if line.hasSuffix("{"), functionName(line) == name {
                return Array(code[(index + 1)...])
            } else {
                return code
            }
            index += 1
        }
        return code
    }

    /// The name a header line defines: the identifier before its parameter list
    /// (`function add(`, `func add(`, `int add(`, `add(` in a class), else before `=`
    /// (`const add = (a) => {`, `let add = function (a) {`).
    static func functionName(_ line: String) -> Substring? {
        let text = Substring(line)
        func identifier(endingAt end: Substring.Index) -> Substring? {
            var start = end
            while start > text.startIndex {
                let previous = text.index(before: start)
                let character = text[previous]
                guard character.isLetter || character.isNumber || character == "_" || character == "$" else { break }
                start = previous
            }
            let name = text[start..<end]
            return name.isEmpty || name.first!.isNumber || keywords.contains(String(name)) ? nil : name
        }
        if let paren = text.firstIndex(of: "(") {
            var end = paren
            while end > text.startIndex, text[text.index(before: end)] == " " { end = text.index(before: end) }
            if let name = identifier(endingAt: end) { return name }
        }
        if let equals = text.firstIndex(of: "=") {
            var end = equals
            while end > text.startIndex, text[text.index(before: end)] == " " { end = text.index(before: end) }
            // `: Type =` in TypeScript: the name is before the annotation.
            let head = text[..<end]
            if let colon = head.lastIndex(of: ":") {
                var nameEnd = colon
                while nameEnd > text.startIndex, text[text.index(before: nameEnd)] == " " { nameEnd = text.index(before: nameEnd) }
                return identifier(endingAt: nameEnd)
            }
            return identifier(endingAt: end)
        }
        return nil
    }

    /// Words before `(` that are not a function's name.
    private static let keywords: Set<String> = [
        "if", "for", "while", "switch", "catch", "function", "func", "return", "init", "sizeof", "async", "await", "do", "else",
    ]

    /// The line of `text` that holds the character at `offset`.
    private static func line(containing offset: Int, in text: String) -> String {
        let characters = Array(text)
        var start = offset
        while start > 0, characters[start - 1] != "\n" { start -= 1 }
        var end = offset
        while end < characters.count, characters[end] != "\n" { end += 1 }
        return String(characters[start..<end])
    }
}
