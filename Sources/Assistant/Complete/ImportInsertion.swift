/// Imports the completed code needs and the document lacks, and where they go: a second edit
/// that belongs with the completion (an LSP `additionalTextEdits` entry, or a second edit of
/// the same versioned workspace edit).
public struct ImportInsertion: Sendable, Hashable {
    /// The UTF-8 byte offset of the document to insert `text` at: the start of the line after
    /// the last top-level import before the code (else after the module docstring, a `#!` line
    /// or an encoding comment; else the start of the file).
    public var offset: Int
    /// The statements to insert, one per line, each ending in a newline, e.g. `import math\n`.
    public var text: String
    /// The statements, e.g. `["import math", "from functools import reduce"]`.
    public var statements: [String]

    public init(offset: Int, statements: [String]) {
        self.offset = offset
        self.text = statements.map { $0 + "\n" }.joined()
        self.statements = statements
    }
}
