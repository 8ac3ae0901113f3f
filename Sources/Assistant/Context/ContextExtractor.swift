import ModelBackend
import SelfMoA
/// Builds the engine's `CodeContext` for an action from an `ActionInput`: which lines the request
/// is about (the selection, or the block around the cursor), the file's header, and the cursor.
enum ContextExtractor {
    /// The context of an explain or review request, and whether it is about the whole file.
    struct Focused {
        var context: CodeContext
        var source: SourceText
        /// The lines the request is about; every line for the whole file.
        var focus: Range<Int>
        /// The request is about the whole file (no selection was given).
        var wholeFile: Bool

        /// The request is about every line, by default or by selection.
        var coversFile: Bool { wholeFile || focus == 0..<source.lines.count }
    }

    /// The context of a complete request: where the code goes and the text around it.
    struct Insertion {
        var context: CodeContext
        var source: SourceText
        /// The bytes the code replaces (empty: insert at the cursor).
        var replace: Range<Int>
        /// The lines replaced, for a selection; `nil` for a cursor.
        var replacedLines: Range<Int>?
        /// Text of the cursor's line before the cursor (empty when replacing whole lines).
        var lead: String
        /// Text of the cursor's line after the cursor (empty when replacing whole lines).
        var tail: String
        /// Lines of the document before the insertion's first line.
        var linesBefore: ArraySlice<String>
        /// Lines of the document after the insertion's last line.
        var linesAfter: ArraySlice<String>
        /// The file's indentation step.
        var indentUnit: String
    }

    /// The selection, the block around an empty selection, or the whole file for `nil`.
    static func focused(_ input: ActionInput, lineNumbers: Bool) -> Focused {
        let source = SourceText(input.text)
        let header = HeaderFinder.header(in: source.lines)
        let all = 0..<source.lines.count
        var focus = all
        var whole = true
        if let selection = clamped(input.selection, source) {
            whole = false
            focus = selection.isEmpty
                ? BlockFinder.enclosingBlock(in: source.lines, around: source.position(of: selection.lowerBound).line)
                : source.lines(covering: selection)
        }
        let context = CodeContext(
            fileName: input.fileName, language: input.language, lines: source.lines,
            selection: whole ? 0..<0 : focus, header: header, lineNumbers: lineNumbers
        )
        return Focused(context: context, source: source, focus: focus, wholeFile: whole)
    }

    /// A cursor (empty selection; `nil` is the end of the document) or whole selected lines to
    /// rewrite. With a cursor the block around it becomes the selection, so trimming keeps it.
    static func insertion(_ input: ActionInput) -> Insertion {
        let source = SourceText(input.text)
        let header = HeaderFinder.header(in: source.lines)
        let selection = clamped(input.selection, source) ?? source.byteCount..<source.byteCount
        let unit = Indentation.unit(of: source.lines)
        if selection.isEmpty {
            let (line, column) = source.position(of: selection.lowerBound)
            let block = BlockFinder.enclosingBlock(in: source.lines, around: line)
            let (lead, tail) = source.split(line: line, column: column)
            let offset = source.offset(line: line, column: column)
            let context = CodeContext(
                fileName: input.fileName, language: input.language, lines: source.lines, selection: block,
                header: header, cursor: CodeContext.Cursor(line: line, utf8Column: column)
            )
            return Insertion(
                context: context, source: source, replace: offset..<offset, replacedLines: nil, lead: lead, tail: tail,
                linesBefore: source.lines[..<line], linesAfter: source.lines[(line + 1)...], indentUnit: unit
            )
        }
        let lines = source.lines(covering: selection)
        let context = CodeContext(
            fileName: input.fileName, language: input.language, lines: source.lines, selection: lines, header: header
        )
        return Insertion(
            context: context, source: source, replace: source.byteRange(ofLines: lines), replacedLines: lines,
            lead: "", tail: "", linesBefore: source.lines[..<lines.lowerBound],
            linesAfter: source.lines[lines.upperBound...], indentUnit: unit
        )
    }

    private static func clamped(_ range: Range<Int>?, _ source: SourceText) -> Range<Int>? {
        guard let range else { return nil }
        let lower = min(max(range.lowerBound, 0), source.byteCount)
        return lower..<min(max(range.upperBound, lower), source.byteCount)
    }
}
