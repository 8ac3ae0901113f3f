import SelfMoA
/// Turns a complete request's synthesis into the text to put in the document: the code taken
/// out of the answer (`CodeExtractor`), a restated header of the function being written cut
/// (`RestatedFunction` in Python; in brace languages `BraceCleanup`, which also ends the code
/// where it would close the cursor's block), the overlap with the surrounding text cut (`OverlapTrimmer`), and the indentation fitted to the place (`Reindenter`).
enum CodeCleanup {
    static func code(from answer: String, for insertion: ContextExtractor.Insertion, cut: Bool = false) -> String {
        var lines = CodeExtractor.extract(answer, marker: insertion.context.cursorMarker)
        // The mark a trimmed file shows for lines left out, copied by the model: never code.
        lines.removeAll { $0.trimmed.hasPrefix(CodeContext.omissionMark) }
        lines = RestatedFunction.trim(
            lines, before: insertion.linesBefore, inside: inFunctionBody(insertion), language: insertion.context.language
        )
        let extractedEnd = lines.last
        lines = BraceCleanup.trim(lines, insertion: insertion)
        // Cut off by the token cap inside the code it would insert (not in what the clean-up
        // dropped): in a brace language, the code up to its last complete statement.
        if cut, BraceBlock.applies(to: insertion.context.language), lines.last == extractedEnd {
            lines = BraceCleanup.lastCompleteStatement(lines, language: insertion.context.language)
        }
        lines = OverlapTrimmer.trimPrefix(lines, before: insertion.linesBefore, lead: insertion.lead)
        lines = OverlapTrimmer.trimSuffix(lines, after: insertion.linesAfter, tail: insertion.tail)
        // A leading empty line is kept: the answer restated the cursor's line and went on below it.
        guard lines.contains(where: { !$0.isBlank }) else { return "" }
        if let replaced = insertion.replacedLines {
            let base = indentation(replacing: replaced, in: insertion)
            let fitted = Reindenter.fitReplacement(Array(lines.drop { $0.isBlank }), base: base)
            return cutTopLevelTail(fitted, lead: "", language: insertion.context.language)
        }
        if let body = emptyBodyIndentation(insertion),
            let first = lines.first(where: { !$0.isBlank }), Indentation.width(of: first) < Indentation.width(of: body) {
            var fitted = body + Reindenter.fitInsertion(Array(lines.drop { $0.isBlank }), lead: body, tail: insertion.tail, unit: insertion.indentUnit)
            if let indentation = BraceCleanup.closingIndentation(insertion) {
                fitted = BraceCleanup.indentClosing(fitted, indentation: indentation)
            }
            fitted = cutMethodTail(fitted, lead: "", insertion: insertion)
            return cutTopLevelTail(fitted, lead: "", language: insertion.context.language, keepDefinitions: blockEndsAtCursor(insertion))
        }
        var fitted = Reindenter.fitInsertion(lines, lead: insertion.lead, tail: insertion.tail, unit: insertion.indentUnit)
        if let indentation = BraceCleanup.closingIndentation(insertion) {
            fitted = BraceCleanup.indentClosing(fitted, indentation: indentation)
        }
        fitted = cutMethodTail(fitted, lead: insertion.lead, insertion: insertion)
        return cutTopLevelTail(
            fitted, lead: insertion.lead, language: insertion.context.language, keepDefinitions: blockEndsAtCursor(insertion)
        )
    }

    /// Whether the insertion is indented code rather than a new line at column 0: an indented
    /// cursor, an empty block body below its header, or indented lines being rewritten.
    private static func inFunctionBody(_ insertion: ContextExtractor.Insertion) -> Bool {
        if let replaced = insertion.replacedLines {
            return insertion.source.lines[replaced].contains { !$0.isBlank && $0.first?.isWhitespace == true }
        }
        return !insertion.lead.isEmpty || emptyBodyIndentation(insertion) != nil
    }

    /// For a cursor at column 0 of a blank line where a block's body is still empty — right
    /// below a line that opens a block, or in Python below a `def`/`class` header's docstring —
    /// the indentation of that body; `nil` elsewhere. Code written unindented for such a place
    /// (chat answers usually are) belongs in the body, as an editor's auto-indent would put it.
    static func emptyBodyIndentation(_ insertion: ContextExtractor.Insertion) -> String? {
        guard insertion.replacedLines == nil, insertion.lead.isEmpty, insertion.tail.isBlank,
            let aboveIndex = insertion.linesBefore.lastIndex(where: { !$0.isBlank })
        else { return nil }
        let above = insertion.linesBefore[aboveIndex]
        if Reindenter.opensBlock(above.trailingTrimmed) {
            return Indentation.prefix(of: above) + insertion.indentUnit
        }
        guard insertion.context.language == "python" else { return nil }
        // A docstring closing on `above`: find where it opens, then the header before it.
        let text = above.trimmed
        guard let quote = ["\"\"\"", "'''"].first(where: { text.hasSuffix($0) }) else { return nil }
        var opening = aboveIndex
        if !(text.hasPrefix(quote) && text.count >= 2 * quote.count) {
            guard let start = insertion.linesBefore[..<aboveIndex].lastIndex(where: { $0.contains(quote) }) else { return nil }
            opening = start
        }
        let docstring = insertion.linesBefore[opening]
        guard docstring.trimmed.drop(while: { "rRbBuUfF".contains($0) }).hasPrefix(quote),
            let headerIndex = insertion.linesBefore[..<opening].lastIndex(where: { !$0.isBlank }),
            Reindenter.opensBlock(insertion.linesBefore[headerIndex].trailingTrimmed)
        else { return nil }
        return Indentation.prefix(of: docstring)
    }

    /// Code written inside a block ends where the answer goes back to column 0 in Python: what
    /// small models add there is a usage example or test calls (`# Test cases`, `print(f(3))`,
    /// `if __name__ == ...`, `def check_solution():`) that does not belong in the user's
    /// function. `lead` is the text before the code on its first line. Trailing blank lines go
    /// with the cut.
    ///
    /// Helpers are different: a function the body calls (`def is_prime(n):` after the body) is
    /// part of the answer. With `keepDefinitions` (the cursor's block is the last thing before
    /// column 0 in the file, so a new top-level definition can follow it), the top-level `def`s,
    /// `class`es and imports that follow the body (up to the first other statement) are kept
    /// when the body uses their name, directly or through another kept one, with the comments
    /// and decorators just above them. Unused ones (the model's own test functions, often cut
    /// off by the token cap) go with the tail.
    static func cutTopLevelTail(_ code: String, lead: String, language: String, keepDefinitions: Bool = false) -> String {
        guard language == "python" else { return code }
        let lines = code.splitLines
        let full = [lead + (lines.first ?? "")] + lines.dropFirst()
        guard let first = full.firstIndex(where: { !$0.isBlank }), full[first].first?.isWhitespace == true,
            let bodyEnd = full.indices.dropFirst(first + 1).first(where: { isTopLevel(full[$0]) })
        else { return code }
        var keep = Set(0..<bodyEnd)
        if keepDefinitions {
            let units = TopLevelDefinition.scan(full, from: bodyEnd)
            var used = identifiers(in: full[..<bodyEnd])
            var chosen = Set<Int>()
            while let next = units.indices.first(where: { !chosen.contains($0) && !units[$0].names.isDisjoint(with: used) }) {
                chosen.insert(next)
                used.formUnion(identifiers(in: full[units[next].lines]))
            }
            for index in chosen {
                var start = units[index].lines.lowerBound
                while start > bodyEnd, full[start - 1].isBlank { start -= 1 }
                keep.formUnion(start..<units[index].lines.upperBound)
            }
        }
        var kept = lines.indices.filter(keep.contains).map { lines[$0] }
        while let last = kept.last, last.isBlank { kept.removeLast() }
        return kept.joined(separator: "\n")
    }

    /// Code written in a Python method (or a function nested in another) ends where the answer
    /// goes back to the indentation of that function's `def`, or less: an infill sample that ran
    /// past the body goes on there with the class's next methods, which nobody asked for. At
    /// column 0 (a top-level function) `cutTopLevelTail` decides, keeping the helpers the body
    /// uses. `lead` is the text before the code on its first line.
    static func cutMethodTail(_ code: String, lead: String, insertion: ContextExtractor.Insertion) -> String {
        guard insertion.context.language == "python",
            let width = RestatedFunction.enclosingFunctionIndentation(insertion.linesBefore), width > 0
        else { return code }
        let lines = code.splitLines
        let full = [lead + (lines.first ?? "")] + lines.dropFirst()
        guard let first = full.firstIndex(where: { !$0.isBlank }), Indentation.width(of: full[first]) > width,
            let end = full.indices.dropFirst(first + 1).first(where: { !full[$0].isBlank && Indentation.width(of: full[$0]) <= width })
        else { return code }
        var kept = Array(lines[..<end])
        while let last = kept.last, last.isBlank { kept.removeLast() }
        return kept.joined(separator: "\n")
    }

    private static func isTopLevel(_ line: String) -> Bool {
        !line.isBlank && line.first?.isWhitespace == false
    }

    /// The identifiers a piece of Python mentions (comments and strings included: a name there
    /// keeps a helper rather than losing one).
    private static func identifiers(in lines: some Sequence<String>) -> Set<Substring> {
        var names = Set<Substring>()
        for line in lines {
            names.formUnion(line.split { !($0.isLetter || $0.isNumber || $0 == "_") })
        }
        return names
    }

    /// Whether the file has nothing indented between the cursor and the next top-level line (or
    /// its end), so code may add top-level definitions after the cursor's block.
    private static func blockEndsAtCursor(_ insertion: ContextExtractor.Insertion) -> Bool {
        guard insertion.tail.isBlank else { return false }
        guard let next = insertion.linesAfter.first(where: { !$0.isBlank }) else { return true }
        return next.first?.isWhitespace == false
    }

    /// The indentation of replaced lines: their first non-blank line's; for blank lines their
    /// own whitespace, else the line above's, one step deeper when it opens a block.
    private static func indentation(replacing lines: Range<Int>, in insertion: ContextExtractor.Insertion) -> String {
        let original = insertion.source.lines[lines]
        if let first = original.first(where: { !$0.isBlank }) { return Indentation.prefix(of: first) }
        if let first = original.first, !first.isEmpty { return Indentation.prefix(of: first) }
        guard let above = insertion.linesBefore.last(where: { !$0.isBlank }) else { return "" }
        return Indentation.prefix(of: above) + (Reindenter.opensBlock(above.trailingTrimmed) ? insertion.indentUnit : "")
    }
}
