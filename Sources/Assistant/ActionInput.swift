/// A request for an action: the document and where in it.
///
/// Positions are UTF-8 byte offsets into `text`; ranges outside it are clamped.
public struct ActionInput: Sendable, Hashable {
    /// Shown to the model, e.g. `inventory.py`.
    public var fileName: String
    /// The language, e.g. `python` (an LSP `languageId`; an editor's own name for it, such as
    /// Eglot's `js`, is normalised by `LanguageID.normalized`); also the info string of code fences.
    public var language: String
    /// The whole document.
    public var text: String
    /// The byte range the request is about. `nil`: the whole document (explain, review) or its
    /// end (complete). Empty: a cursor — explain and review take the function or block around
    /// it, complete inserts there. Non-empty: the selected code; complete rewrites the lines it
    /// touches.
    public var selection: Range<Int>?
    /// Where the document is on disk (absolute; a `file:` URI's path), so its toolchain finds
    /// what it includes; `nil` for a buffer that is not a file.
    public var path: String?
    /// The editor's other open documents in the request's language, whose code like the
    /// cursor's complete may show the model (`similarCode`); their text as the editor holds it.
    public var openFiles: [OpenFile]

    public init(
        fileName: String, language: String, text: String, selection: Range<Int>?, path: String? = nil, openFiles: [OpenFile] = []
    ) {
        self.fileName = fileName
        self.path = path
        self.openFiles = openFiles
        self.language = LanguageID.normalized(language)
        self.text = text
        self.selection = selection
    }
}

/// A document open in the editor besides the request's.
public struct OpenFile: Sendable, Hashable {
    /// Shown to the model, e.g. `gptneox.cpp`.
    public var fileName: String
    /// Where it is on disk (absolute), `nil` for a buffer that is not a file.
    public var path: String?
    /// Its text as the editor holds it.
    public var text: String

    public init(fileName: String, path: String?, text: String) {
        self.fileName = fileName
        self.path = path
        self.text = text
    }
}

extension ActionInput {
    /// The byte range of 0-based, inclusive `lines` of `text`, from the first line's start to
    /// the end of the last line's content (lines past the end are clamped).
    public static func byteRange(lines: ClosedRange<Int>, in text: String) -> Range<Int> {
        let source = SourceText(text)
        let last = source.lines.count - 1
        let first = min(max(lines.lowerBound, 0), last)
        return source.byteRange(ofLines: first..<(min(max(lines.upperBound, first), last) + 1))
    }

    /// The byte offset of a 0-based line and a column counted in characters (`nil`: the end of
    /// the line), clamped to the text.
    public static func byteOffset(line: Int, characters column: Int?, in text: String) -> Int {
        let source = SourceText(text)
        let line = min(max(line, 0), source.lines.count - 1)
        let content = source.lines[line]
        let bytes = column.map { String(content.prefix(max($0, 0))).utf8.count } ?? content.utf8.count
        return source.offset(line: line, column: bytes)
    }
}
