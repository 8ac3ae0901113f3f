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
            let original = insertion.source.lines[replaced]
            let base = Indentation.prefix(of: original.first { !$0.isBlank } ?? "")
            return Reindenter.fitReplacement(Array(lines.drop { $0.isBlank }), base: base)
        }
        return Reindenter.fitInsertion(lines, lead: insertion.lead, tail: insertion.tail, unit: insertion.indentUnit)
    }
}
