import Tools

/// An answer the token cap cut off inside its code, in a language without brackets for its
/// blocks (Python), taken back to the longest run of its whole lines that parses in the file:
/// the cut line goes, then lines from the end until the language's own toolchain accepts the
/// file with the code in place (a `try:` without its `except`, an open string or call, a header
/// without its body all go). Brace languages need no toolchain for this
/// (`BraceCleanup.lastCompleteStatement`).
enum ParsedPrefix {
    /// The languages cut back this way.
    static let languages: Set<String> = ["python"]

    /// At most this many lines are tried, from the end.
    static let attempts = 40

    /// The prefix of `code` that parses once placed by `place`; empty when none does (or the
    /// toolchain cannot say).
    static func of(
        _ code: String, language: String, path: String?, checker: any SyntaxChecker, place: (String) -> String
    ) async -> String {
        var lines = Array(code.splitLines.dropLast())
        var tried = 0
        while let last = lines.last, tried < attempts {
            let trimmed = last.trimmed
            if !trimmed.isEmpty, !trimmed.hasPrefix("#") {
                tried += 1
                let candidate = lines.joined(separator: "\n")
                switch await checker.check(place(candidate), language: language, file: path) {
                case .valid: return candidate
                case .unavailable: return ""
                case .invalid, .unresolved: break
                }
            }
            lines.removeLast()
        }
        return ""
    }
}
