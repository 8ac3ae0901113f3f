import JSON

/// A problem reported on a range of a document.
public struct Diagnostic: Codable, Sendable, Hashable {
    /// 1 error, 2 warning, 3 information, 4 hint.
    public var range: LSPRange
    public var severity: Int?
    public var code: String?
    public var source: String?
    public var message: String
    /// Server data kept with the diagnostic (our review finding's replacement).
    public var data: JSONValue?

    public init(range: LSPRange, severity: Int?, code: String? = nil, source: String?, message: String, data: JSONValue? = nil) {
        self.range = range
        self.severity = severity
        self.code = code
        self.source = source
        self.message = message
        self.data = data
    }
}

/// `textDocument/publishDiagnostics`.
public struct PublishDiagnosticsParams: Codable, Sendable {
    public var uri: String
    public var version: Int?
    public var diagnostics: [Diagnostic]
}

/// `window/showMessage`: 1 error, 2 warning, 3 info, 4 log.
public struct ShowMessageParams: Codable, Sendable {
    public var type: Int
    public var message: String
}
