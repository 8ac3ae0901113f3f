import JSON

/// `textDocument/didOpen`.
public struct DidOpenTextDocumentParams: Codable, Sendable {
    public var textDocument: TextDocumentItem
}

/// `textDocument/didChange`.
public struct DidChangeTextDocumentParams: Codable, Sendable {
    public var textDocument: VersionedTextDocumentIdentifier
    public var contentChanges: [TextDocumentContentChangeEvent]
}

/// One change: a range replacement, or the whole text when `range` is absent.
public struct TextDocumentContentChangeEvent: Codable, Sendable {
    public var range: LSPRange?
    public var rangeLength: Int?
    public var text: String
}

/// `textDocument/didClose`.
public struct DidCloseTextDocumentParams: Codable, Sendable {
    public var textDocument: TextDocumentIdentifier
}

/// `textDocument/didSave`.
public struct DidSaveTextDocumentParams: Codable, Sendable {
    public var textDocument: TextDocumentIdentifier
    public var text: String?
}

/// `workspace/didChangeConfiguration`.
public struct DidChangeConfigurationParams: Codable, Sendable {
    public var settings: JSONValue?
}

/// `$/cancelRequest` is handled by the connection; `window/workDoneProgress/cancel` here.
public struct WorkDoneProgressCancelParams: Codable, Sendable {
    public var token: JSONValue
}
