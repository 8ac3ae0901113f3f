/// Checks that source code parses, given its language (an LSP `languageId`).
///
/// The complete action's candidate checks go through this protocol, so tests can stand in for
/// the toolchains and the real ones (`ToolchainSyntaxChecker`) stay replaceable.
public protocol SyntaxChecker: Sendable {
    /// Whether `source`, a whole file in `language`, parses.
    func check(_ source: String, language: String) async -> SyntaxVerdict
    /// Whether `source` parses as the file at `path` (absolute; `nil`: not on disk), so what it
    /// includes is found as the file's own build would find it.
    func check(_ source: String, language: String, file path: String?) async -> SyntaxVerdict
    /// The verdict on `source` and, where it is `invalid`, the corrections the toolchain itself
    /// suggests (a C compiler's "did you mean" as an edit); none where it suggests none.
    func corrections(_ source: String, language: String, file path: String?) async -> (SyntaxVerdict, [FixIt])
}

extension SyntaxChecker {
    /// Checkers that need no file's location check the source alone.
    public func check(_ source: String, language: String, file path: String?) async -> SyntaxVerdict {
        await check(source, language: language)
    }

    /// Checkers whose tools suggest nothing give the verdict alone.
    public func corrections(_ source: String, language: String, file path: String?) async -> (SyntaxVerdict, [FixIt]) {
        (await check(source, language: language, file: path), [])
    }
}

/// What a `SyntaxChecker` says of a source text.
public enum SyntaxVerdict: Sendable, Hashable {
    /// It parses.
    case valid
    /// It does not; the tool's first complaint.
    case invalid(String)
    /// It parses, but the compiler finds names or types wrong in it (C, C++: an undeclared
    /// name, a member the type lacks; `CompilerErrors`): the first complaint, and the 1-based
    /// lines of all the errors (0: in another file, a header). Whether those lines are the
    /// candidate's is the caller's to say.
    case unresolved(String, lines: [Int])
    /// No parser for this language here (no toolchain, or the tool failed to run); the reason.
    case unavailable(String)
}
