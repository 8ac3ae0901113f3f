/// The file around a request: its lines, the selection (or cursor) the request is about, and the
/// header (imports, package line) worth keeping when the file must be trimmed.
///
/// Line indices are 0-based; ranges are half-open. When the file does not fit the budget the
/// engine keeps the selection, then the header, then the nearest lines around the selection
/// (alternating above and below), and marks what it left out.
public struct CodeContext: Sendable, Hashable {
    /// An insertion point: a line and a UTF-8 byte offset within it.
    public struct Cursor: Sendable, Hashable {
        public var line: Int
        public var utf8Column: Int

        public init(line: Int, utf8Column: Int) {
            self.line = line
            self.utf8Column = utf8Column
        }
    }

    /// Shown to the model (a path relative to the workspace reads best).
    public var fileName: String
    /// Language name, also the code fence's info string ("swift", "python").
    public var language: String
    /// The file's lines without terminators.
    public var lines: [String]
    /// The lines the request is about. Empty with a cursor: the cursor's line. Empty without a
    /// cursor: the request is about the whole file (nothing is repeated as "selected").
    public var selection: Range<Int>
    /// Header and import lines, kept when the file is trimmed.
    public var header: Range<Int>
    /// Where code is to be inserted (complete); rendered as `cursorMarker` and used to split
    /// the file into an infill prefix and suffix.
    public var cursor: Cursor?
    /// Prefix every shown line with its 1-based number (useful when the answer cites lines).
    public var lineNumbers: Bool
    /// The text standing for the cursor in a chat prompt.
    public var cursorMarker: String
    /// Code from other files the file's code uses, shown before it (never trimmed: it is kept
    /// short by whoever gathers it).
    public var related: [RelatedCode] = []

    public init(
        fileName: String,
        language: String,
        lines: [String],
        selection: Range<Int>,
        header: Range<Int> = 0..<0,
        cursor: Cursor? = nil,
        lineNumbers: Bool = false,
        cursorMarker: String = "<CURSOR>"
    ) {
        self.fileName = fileName
        self.language = language
        self.lines = lines
        self.selection = selection
        self.header = header
        self.cursor = cursor
        self.lineNumbers = lineNumbers
        self.cursorMarker = cursorMarker
    }

    /// Splits `text` into lines at `\n` or `\r\n` and builds the context.
    public init(
        fileName: String,
        language: String,
        text: String,
        selection: Range<Int>,
        header: Range<Int> = 0..<0,
        cursor: Cursor? = nil,
        lineNumbers: Bool = false,
        cursorMarker: String = "<CURSOR>"
    ) {
        let lines = text.lines()
        self.init(
            fileName: fileName, language: language, lines: lines, selection: selection, header: header,
            cursor: cursor, lineNumbers: lineNumbers, cursorMarker: cursorMarker
        )
    }

    /// The lines that must never be trimmed: the selection, or the cursor's line.
    public var focus: Range<Int> {
        if !selection.isEmpty { return selection }
        if let cursor { return cursor.line..<(cursor.line + 1) }
        return selection
    }

    /// Checks ranges and cursor lie inside the file.
    public func validate() throws(SelfMoAError) {
        func fail(_ message: String) -> SelfMoAError { SelfMoAError(.invalidTask, "\(fileName): \(message)") }
        let all = 0...lines.count
        guard all.contains(selection.lowerBound), all.contains(selection.upperBound) else {
            throw fail("the selection (lines \(selection)) lies outside the file's \(lines.count) lines.")
        }
        guard all.contains(header.lowerBound), all.contains(header.upperBound) else {
            throw fail("the header (lines \(header)) lies outside the file's \(lines.count) lines.")
        }
        if let cursor {
            guard lines.indices.contains(cursor.line) else {
                throw fail("the cursor's line \(cursor.line) lies outside the file's \(lines.count) lines.")
            }
            guard (0...lines[cursor.line].utf8.count).contains(cursor.utf8Column) else {
                throw fail("the cursor's column \(cursor.utf8Column) lies outside line \(cursor.line).")
            }
            guard selection.isEmpty || selection.contains(cursor.line) else {
                throw fail("the cursor (line \(cursor.line)) must lie inside the selection (lines \(selection)).")
            }
        }
    }
}
