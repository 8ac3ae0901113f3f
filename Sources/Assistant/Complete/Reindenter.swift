/// Gives code the indentation of the place it goes to.
///
/// Models return code either relative (the first line at column 0, nested lines indented from
/// there) or absolute (indented as in the file; infill samples start at the cursor, so only their
/// later lines carry the file's indentation). Which one is decided from the lines after the
/// first: if the first line is unindented and the others sit exactly at the target indentation
/// (or deeper, after a line that opens a block), they are already absolute — so are they when the
/// first line, opening no block, is merely over-indented while they sit exactly at the target
/// (an infill sample's stray leading spaces); otherwise the code
/// is made relative (its common indentation removed) and the target indentation added.
enum Reindenter {
    /// Code inserted at a cursor. `lead` and `tail` are the text of the cursor's line before and
    /// after it; `unit` the file's indentation step.
    ///
    /// At column 0 the code is kept as it is. After only whitespace the first line continues
    /// the cursor's indentation. After code, the answer continues the line — unless the line
    /// ends a statement or opens a block (`{`, `;`, `def f():`) with nothing after the cursor,
    /// in which case the code starts on a new line, one step deeper after a block opener.
    /// An empty first line (the answer restated the cursor's line) also starts a new line.
    static func fitInsertion(_ code: [String], lead: String, tail: String, unit: String) -> String {
        var code = code
        var newLine = false
        if !lead.isBlank, code.count > 1, code[0].isBlank {
            code = Array(code.drop { $0.isBlank })
            newLine = true
        }
        guard let first = code.first else { return "" }
        if lead.isEmpty { return code.joined(separator: "\n") }
        let firstIndent = Indentation.width(of: first)
        if lead.isBlank {
            let body = [stripIndent(first)] + fitRest(Array(code.dropFirst()), base: lead, first: first, firstIndent: firstIndent)
            return body.joined(separator: "\n")
        }
        let lineIndent = Indentation.prefix(of: lead)
        let ended = lead.trailingTrimmed
        if newLine || (tail.isBlank && endsStatementOrOpensBlock(ended)) {
            let base = lineIndent + (opensBlock(ended) ? unit : "")
            let body = [base + stripIndent(first)]
                + fitRest(Array(code.dropFirst()), base: base, first: first, firstIndent: firstIndent)
            return "\n" + body.joined(separator: "\n")
        }
        let head = lead.last?.isWhitespace == true ? stripIndent(first) : first
        return ([head] + fitRest(Array(code.dropFirst()), base: lineIndent, first: first, firstIndent: 0))
            .joined(separator: "\n")
    }

    /// Code replacing whole lines whose first line is indented by `base`.
    static func fitReplacement(_ code: [String], base: String) -> String {
        guard let first = code.first else { return "" }
        let firstIndent = Indentation.width(of: first)
        let rest = fitRest(Array(code.dropFirst()), base: base, first: first, firstIndent: firstIndent)
        let head = first.isBlank ? "" : base + Indentation.removing(min(firstIndent, commonIndent(code)), from: first)
        return ([head] + rest).joined(separator: "\n")
    }

    /// The lines after the first, re-indented for a first line placed at `base`.
    ///
    /// Whether the code is absolute is read from the lines of the cursor's block: those before
    /// the first line narrower than the target, where an infill sample that ran past the body
    /// goes on with the file's next definitions at their own indentation (the clean-up cuts
    /// them; shifting them would shift the body with them). Relative code has its second line
    /// at column 0 or one step in, so its block is empty or opens at most one step deep.
    private static func fitRest(_ rest: [String], base: String, first: String, firstIndent: Int) -> [String] {
        let widths = rest.filter { !$0.isBlank }.map { Indentation.width(of: $0) }
        guard let least = widths.min() else { return rest.map { _ in "" } }
        let target = Indentation.width(of: base)
        let opener = opensBlock(first.trailingTrimmed)
        let block = widths.prefix { $0 >= target }
        // The first line at the cursor, the next ones at the file's indentation: deeper than the
        // cursor under a first line that opens a block, at the cursor under one that does not.
        // An infill sample's first line may carry stray indentation of its own, less than the
        // cursor's (or, opening no block, other than its next lines'); the later lines are
        // absolute all the same. An answer indented as a whole is relative to its first line.
        if target > 0, let next = block.first, let inner = block.min(),
            opener ? firstIndent < target && next > target : inner == target && firstIndent != target {
            return rest.map { $0.isBlank ? "" : $0 }
        }
        let removed = firstIndent > 0 ? min(firstIndent, least) : 0
        return rest.map { $0.isBlank ? "" : base + Indentation.removing(removed, from: $0) }
    }

    private static func commonIndent(_ lines: [String]) -> Int {
        lines.filter { !$0.isBlank }.map { Indentation.width(of: $0) }.min() ?? 0
    }

    private static func stripIndent(_ line: String) -> String {
        String(line.drop { $0 == " " || $0 == "\t" })
    }

    private static let blockKeywords: Set<String> = [
        "def", "class", "if", "elif", "else", "for", "while", "try", "except", "finally", "with", "case", "default",
        "async", "match", "lambda",
    ]

    /// Ends with `{`, `:` after a block keyword or `)`, `then` or `do`.
    static func opensBlock(_ line: String) -> Bool {
        if line.hasSuffix("{") || line.hasSuffix(" then") || line.hasSuffix(" do") || line == "do" { return true }
        guard line.hasSuffix(":") else { return false }
        return line.hasSuffix("):") || line.hasSuffix("]:") || blockKeywords.contains(SourceLine.firstWord(line.trimmed))
    }

    private static func endsStatementOrOpensBlock(_ line: String) -> Bool {
        opensBlock(line) || line.hasSuffix(";") || line.hasSuffix("}")
    }
}
