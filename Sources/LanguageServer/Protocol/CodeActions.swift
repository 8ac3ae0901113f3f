import JSON

/// `textDocument/codeAction`.
public struct CodeActionParams: Codable, Sendable {
    public var textDocument: TextDocumentIdentifier
    public var range: LSPRange
    public var context: CodeActionContext
}

/// What the client knows about the range: diagnostics there, and which kinds it wants.
public struct CodeActionContext: Codable, Sendable {
    public var diagnostics: [Diagnostic]
    public var only: [String]?
    public var triggerKind: Int?
}

/// A code action: a command to run, an edit to apply, or (unresolved) data to resolve later.
public struct CodeAction: Codable, Sendable, Hashable {
    public var title: String
    public var kind: String?
    public var diagnostics: [Diagnostic]?
    public var isPreferred: Bool?
    public var edit: WorkspaceEdit?
    public var command: Command?
    public var data: JSONValue?

    public init(title: String, kind: String?, diagnostics: [Diagnostic]? = nil, isPreferred: Bool? = nil,
                edit: WorkspaceEdit? = nil, command: Command? = nil, data: JSONValue? = nil) {
        self.title = title
        self.kind = kind
        self.diagnostics = diagnostics
        self.isPreferred = isPreferred
        self.edit = edit
        self.command = command
        self.data = data
    }
}

/// `workspace/executeCommand`.
public struct ExecuteCommandParams: Codable, Sendable {
    public var command: String
    public var arguments: [JSONValue]?
    public var workDoneToken: JSONValue?
}

/// `workspace/applyEdit` (server to client).
public struct ApplyWorkspaceEditParams: Codable, Sendable {
    public var label: String?
    public var edit: WorkspaceEdit
}

/// The client's answer to `workspace/applyEdit`.
public struct ApplyWorkspaceEditResult: Codable, Sendable {
    public var applied: Bool
    public var failureReason: String?
}
