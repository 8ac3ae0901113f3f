import JSON

/// The single argument of our commands `selfmoa.explain`, `selfmoa.review` and
/// `selfmoa.complete`: which document, which range (the cursor when empty; the whole document
/// when absent, for review), and the version the client saw.
public struct ActionArguments: Codable, Sendable, Hashable {
    public var textDocument: OptionalVersionedTextDocumentIdentifier
    public var range: LSPRange?

    public init(textDocument: OptionalVersionedTextDocumentIdentifier, range: LSPRange?) {
        self.textDocument = textDocument
        self.range = range
    }
}

/// Our commands.
public enum ActionKind: String, Codable, Sendable, CaseIterable {
    case explain, review, complete

    /// The `workspace/executeCommand` name.
    public var command: String { "selfmoa.\(rawValue)" }

    public init?(command: String) {
        guard command.hasPrefix("selfmoa.") else { return nil }
        self.init(rawValue: String(command.dropFirst("selfmoa.".count)))
    }

    /// The title shown in code action menus.
    public var title: String {
        switch self {
        case .explain: return "Self-MoA: explain this code"
        case .review: return "Self-MoA: review this code"
        case .complete: return "Self-MoA: complete / implement here"
        }
    }
}
