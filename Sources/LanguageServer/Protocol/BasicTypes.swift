import JSON

/// A zero-based line and character offset; what a character counts is the negotiated
/// `PositionEncoding`.
public struct Position: Codable, Sendable, Hashable, Comparable {
    public var line: Int
    public var character: Int

    public init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }

    public static func < (lhs: Position, rhs: Position) -> Bool {
        (lhs.line, lhs.character) < (rhs.line, rhs.character)
    }
}

/// A range in a text document, end exclusive (LSP's `Range`).
public struct LSPRange: Codable, Sendable, Hashable {
    public var start: Position
    public var end: Position

    public init(start: Position, end: Position) {
        self.start = start
        self.end = end
    }

    /// An empty range at `position`.
    public init(at position: Position) {
        self.init(start: position, end: position)
    }

    public var isEmpty: Bool { start == end }
}

/// How positions count characters, negotiated at `initialize`.
public enum PositionEncoding: String, Codable, Sendable, Hashable {
    case utf8 = "utf-8"
    case utf16 = "utf-16"
    case utf32 = "utf-32"
}

/// A document by URI.
public struct TextDocumentIdentifier: Codable, Sendable, Hashable {
    public var uri: String
    public init(uri: String) { self.uri = uri }
}

/// A document by URI at a version.
public struct VersionedTextDocumentIdentifier: Codable, Sendable, Hashable {
    public var uri: String
    public var version: Int
    public init(uri: String, version: Int) {
        self.uri = uri
        self.version = version
    }
}

/// A document by URI at a version, or `null` for "whatever is on disk".
public struct OptionalVersionedTextDocumentIdentifier: Codable, Sendable, Hashable {
    public var uri: String
    public var version: Int?
    public init(uri: String, version: Int?) {
        self.uri = uri
        self.version = version
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(uri, forKey: .uri)
        // `version` is required on the wire, as a number or null.
        if let version { try container.encode(version, forKey: .version) } else { try container.encodeNil(forKey: .version) }
    }

    private enum CodingKeys: String, CodingKey { case uri, version }
}

/// A document's full content, as sent by `didOpen`.
public struct TextDocumentItem: Codable, Sendable, Hashable {
    public var uri: String
    public var languageId: String
    public var version: Int
    public var text: String
}

/// A replacement of a range by new text.
public struct TextEdit: Codable, Sendable, Hashable {
    public var range: LSPRange
    public var newText: String
    public init(range: LSPRange, newText: String) {
        self.range = range
        self.newText = newText
    }
}

/// Edits to one document at a known version.
public struct TextDocumentEdit: Codable, Sendable, Hashable {
    public var textDocument: OptionalVersionedTextDocumentIdentifier
    public var edits: [TextEdit]
    public init(textDocument: OptionalVersionedTextDocumentIdentifier, edits: [TextEdit]) {
        self.textDocument = textDocument
        self.edits = edits
    }
}

/// A set of changes to documents.
public struct WorkspaceEdit: Codable, Sendable, Hashable {
    public var documentChanges: [TextDocumentEdit]?
    public var changes: [String: [TextEdit]]?
    public init(documentChanges: [TextDocumentEdit]? = nil, changes: [String: [TextEdit]]? = nil) {
        self.documentChanges = documentChanges
        self.changes = changes
    }
}

/// A command the client can ask the server to execute.
public struct Command: Codable, Sendable, Hashable {
    public var title: String
    public var command: String
    public var arguments: [JSONValue]?
    public init(title: String, command: String, arguments: [JSONValue]? = nil) {
        self.title = title
        self.command = command
        self.arguments = arguments
    }
}

/// A URI and a range in it.
public struct Location: Codable, Sendable, Hashable {
    public var uri: String
    public var range: LSPRange
}
