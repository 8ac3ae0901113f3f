import JSON

/// The parts of `initialize`'s params the server uses. Capabilities stay raw JSON and are read
/// through `ClientCapabilities`.
public struct InitializeParams: Codable, Sendable {
    public var processId: Int?
    public var clientInfo: ClientInfo?
    public var rootUri: String?
    /// The workspace folders; the first is the workspace `selfmoa.reviewChanges` reviews when
    /// `rootUri` is absent.
    public var workspaceFolders: [WorkspaceFolder]?
    public var capabilities: JSONValue?
    public var initializationOptions: JSONValue?
    public var trace: String?

    /// A workspace folder.
    public struct WorkspaceFolder: Codable, Sendable, Hashable {
        public var uri: String
        public var name: String?
    }

    /// The client's name and version.
    public struct ClientInfo: Codable, Sendable, Hashable {
        public var name: String
        public var version: String?
    }
}

/// What the client announced it supports, read from the raw capabilities object.
public struct ClientCapabilities: Sendable {
    public let raw: JSONValue

    public init(_ raw: JSONValue?) { self.raw = raw ?? .object([:]) }

    private func value(_ path: String...) -> JSONValue? {
        var current: JSONValue? = raw
        for key in path { current = current?[key] }
        return current
    }

    /// Encodings the client accepts, in its order of preference.
    public var positionEncodings: [PositionEncoding] {
        (value("general", "positionEncodings")?.arrayValue ?? []).compactMap { $0.stringValue.flatMap(PositionEncoding.init(rawValue:)) }
    }

    /// `workspace/applyEdit` is supported.
    public var applyEdit: Bool { value("workspace", "applyEdit")?.boolValue ?? false }

    /// `TextDocumentEdit` with versions is supported in workspace edits.
    public var documentChanges: Bool { value("workspace", "workspaceEdit", "documentChanges")?.boolValue ?? false }

    /// Server-initiated progress (`window/workDoneProgress/create`) is supported.
    public var workDoneProgress: Bool { value("window", "workDoneProgress")?.boolValue ?? false }

    /// `window/showDocument` is supported.
    public var showDocument: Bool { value("window", "showDocument", "support")?.boolValue ?? false }

    /// `codeAction/resolve` can fill in the `command` property.
    public var codeActionResolvesCommand: Bool {
        let properties = value("textDocument", "codeAction", "resolveSupport", "properties")?.arrayValue ?? []
        return properties.contains(.string("command"))
    }

    /// Code action literals (not bare commands) are supported.
    public var codeActionLiterals: Bool {
        value("textDocument", "codeAction", "codeActionLiteralSupport") != nil
    }

    /// Diagnostics may carry the document version.
    public var diagnosticVersions: Bool {
        value("textDocument", "publishDiagnostics", "versionSupport")?.boolValue ?? false
    }

    /// Code actions may be marked `isPreferred`.
    public var codeActionIsPreferred: Bool {
        value("textDocument", "codeAction", "isPreferredSupport")?.boolValue ?? false
    }

    /// Diagnostics may carry a `data` property that the client preserves.
    public var diagnosticData: Bool {
        value("textDocument", "publishDiagnostics", "dataSupport")?.boolValue ?? false
    }

    /// Completion item documentation may be markdown.
    public var completionMarkdown: Bool {
        let formats = value("textDocument", "completion", "completionItem", "documentationFormat")?.arrayValue ?? []
        return formats.contains(.string("markdown"))
    }

    /// The client renders `selfmoa/result` notifications (our extension).
    public var selfmoaResults: Bool {
        let results = value("experimental", "selfmoa", "results")
        return results?.boolValue ?? (results?.objectValue != nil)
    }

    /// The client asks its user for a question when it executes `selfmoa.ask` without one (our
    /// integrations announce `experimental.selfmoa.ask: true`); only such clients are offered
    /// the ask code action, since the server cannot ask for the question itself.
    public var selfmoaAsk: Bool {
        value("experimental", "selfmoa", "ask")?.boolValue ?? false
    }

    /// The client accepts snippets in completion items.
    public var completionSnippets: Bool {
        value("textDocument", "completion", "completionItem", "snippetSupport")?.boolValue ?? false
    }
}
