import JSON

/// The capabilities the server announces in `initialize`'s result.
enum ServerCapabilities {
    static let commands = ActionKind.allCases.map(\.command) + [reviewChanges]
    /// Reviews the workspace's git change (not a code action: it is about no one range).
    static let reviewChanges = "selfmoa.reviewChanges"

    static func make(encoding: PositionEncoding) -> JSONValue {
        [
            "positionEncoding": .string(encoding.rawValue),
            "textDocumentSync": [
                "openClose": true,
                "change": 2,  // incremental
                "save": ["includeText": false],
            ],
            "codeActionProvider": [
                "codeActionKinds": .array(CodeActionKinds.all.map { .string($0) }),
                "resolveProvider": true,
            ],
            "executeCommandProvider": ["commands": .array(commands.map { .string($0) })],
            "completionProvider": ["resolveProvider": false],
            "inlineCompletionProvider": [:],
            "experimental": ["selfmoa": ["results": true, "version": 1]],
        ]
    }
}

/// The code action kinds the server offers.
enum CodeActionKinds {
    static let explain = "source.selfmoa.explain"
    static let ask = "source.selfmoa.ask"
    static let review = "source.selfmoa.review"
    static let complete = "source.selfmoa.complete"
    static let quickFix = "quickfix"
    static let all = [quickFix, explain, ask, review, complete]

    /// Whether `kind` passes the client's `only` filter (kinds are dot-separated hierarchies).
    static func matches(_ kind: String, only: [String]?) -> Bool {
        guard let only, !only.isEmpty else { return true }
        return only.contains { kind == $0 || kind.hasPrefix($0 + ".") }
    }
}
