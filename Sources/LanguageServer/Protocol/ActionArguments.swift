import JSON

/// The single argument of our commands `selfmoa.explain`, `selfmoa.ask`, `selfmoa.review` and
/// `selfmoa.complete`: which document, which range (the cursor when empty; the whole document
/// when absent, for review), the version the client saw, and for ask the question.
public struct ActionArguments: Codable, Sendable, Hashable {
    public var textDocument: OptionalVersionedTextDocumentIdentifier
    public var range: LSPRange?
    /// ask: the question about the code (required there, ignored elsewhere).
    public var question: String?

    public init(textDocument: OptionalVersionedTextDocumentIdentifier, range: LSPRange?, question: String? = nil) {
        self.textDocument = textDocument
        self.range = range
        self.question = question
    }
}

/// Our commands.
public enum ActionKind: String, Codable, Sendable, CaseIterable {
    case explain, ask, review, complete

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
        case .ask: return "Self-MoA: ask about this code"
        case .review: return "Self-MoA: review this code"
        case .complete: return "Self-MoA: complete / implement here"
        }
    }
}
