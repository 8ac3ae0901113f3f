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
            return Reindenter.fitReplacement(Array(lines.drop { $0.isBlank }), base: base)
        }
        return Reindenter.fitInsertion(lines, lead: insertion.lead, tail: insertion.tail, unit: insertion.indentUnit)
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
