/// The actions, each with its own settings.
public enum ActionKindName: String, Sendable, Hashable, Codable, CaseIterable {
    /// Explain code (markdown).
    case explain
    /// Answer a question about code (markdown).
    case ask
    /// Review code (findings).
    case review
    /// Insert or rewrite code on request (a command).
    case complete
    /// Completion as the user types (`textDocument/completion`, inline completion): fewer
    /// samples and tokens than `complete`, because someone is waiting at the cursor.
    case completion
}
