import JSON

/// `textDocument/completion` and `textDocument/inlineCompletion` params (the parts we use).
public struct TextDocumentPositionParams: Codable, Sendable {
    public var textDocument: TextDocumentIdentifier
    public var position: Position
}

/// A completion item carrying the synthesised code as a text edit.
public struct CompletionItem: Codable, Sendable {
    public var label: String
    /// 1 = Text, 15 = Snippet; we use 1 (plain text insert).
    public var kind: Int?
    public var detail: String?
    public var documentation: CompletionDocumentation?
    public var filterText: String?
    public var insertTextFormat: Int?
    public var textEdit: TextEdit?
    public var sortText: String?
    /// Edits elsewhere in the document that come with the item: the imports its code needs.
    public var additionalTextEdits: [TextEdit]?
}

/// `textDocument/completion`'s result.
public struct CompletionList: Codable, Sendable {
    public var isIncomplete: Bool
    public var items: [CompletionItem]
}

/// A completion item's documentation: a plain string (every client) or markup content (clients
/// announcing the format in `completionItem.documentationFormat`).
public enum CompletionDocumentation: Codable, Sendable {
    case plain(String)
    case markup(MarkupContent)

    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            self = .plain(text)
        } else {
            self = .markup(try MarkupContent(from: decoder))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .plain(let text):
            var container = encoder.singleValueContainer()
            try container.encode(text)
        case .markup(let content):
            try content.encode(to: encoder)
        }
    }
}

/// Markdown or plain text.
public struct MarkupContent: Codable, Sendable {
    public var kind: String
    public var value: String
}

/// One inline completion (LSP 3.18).
public struct InlineCompletionItem: Codable, Sendable {
    public var insertText: String
    public var filterText: String?
    public var range: LSPRange?
}

/// `textDocument/inlineCompletion`'s result.
public struct InlineCompletionList: Codable, Sendable {
    public var items: [InlineCompletionItem]
}
