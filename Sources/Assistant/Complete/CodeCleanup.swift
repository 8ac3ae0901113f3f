/// Turns a complete request's synthesis into the text to put in the document: the code taken
/// out of the answer (`CodeExtractor`), the overlap with the surrounding text cut
/// (`OverlapTrimmer`), and the indentation fitted to the place (`Reindenter`).
enum CodeCleanup {
    static func code(from answer: String, for insertion: ContextExtractor.Insertion) -> String {
        var lines = CodeExtractor.extract(answer, marker: insertion.context.cursorMarker)
        lines = OverlapTrimmer.trimPrefix(lines, before: insertion.linesBefore, lead: insertion.lead)
        lines = OverlapTrimmer.trimSuffix(lines, after: insertion.linesAfter, tail: insertion.tail)
        // A leading empty line is kept: the answer restated the cursor's line and went on below it.
        guard lines.contains(where: { !$0.isBlank }) else { return "" }
        if let replaced = insertion.replacedLines {
            let base = indentation(replacing: replaced, in: insertion)
            let fitted = Reindenter.fitReplacement(Array(lines.drop { $0.isBlank }), base: base)
            return cutTopLevelTail(fitted, lead: "", language: insertion.context.language)
        }
        let fitted = Reindenter.fitInsertion(lines, lead: insertion.lead, tail: insertion.tail, unit: insertion.indentUnit)
        return cutTopLevelTail(fitted, lead: insertion.lead, language: insertion.context.language)
    }

    /// Code written inside a block ends where the answer goes back to column 0 in Python: what
    /// small models add there is a usage example or test calls (`# Test cases`, `print(f(3))`,
    /// `if __name__ == ...`) that does not belong in the user's function. `lead` is the text
    /// before the code on its first line. Trailing blank lines go with the cut.
    static func cutTopLevelTail(_ code: String, lead: String, language: String) -> String {
        guard language == "python" else { return code }
        let lines = code.splitLines
        let full = [lead + (lines.first ?? "")] + lines.dropFirst()
        guard let first = full.firstIndex(where: { !$0.isBlank }), full[first].first?.isWhitespace == true,
            let cut = full.indices.dropFirst(first + 1).first(where: { !full[$0].isBlank && full[$0].first?.isWhitespace == false }),
            cut > 0
        else { return code }
        var kept = Array(lines[..<cut])
        while let last = kept.last, last.isBlank { kept.removeLast() }
        return kept.joined(separator: "\n")
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
