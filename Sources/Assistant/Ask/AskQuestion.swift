/// A user's question about code, checked when it arrives: not empty, and at most
/// `maximumCharacters` long.
public struct AskQuestion: Sendable, Hashable {
    /// The longest question accepted, in characters.
    public static let maximumCharacters = 4_000

    /// The question, trimmed.
    public let text: String

    /// Checks `text`; throws `AskQuestion.Invalid` with a message naming `question`.
    public init(_ text: String?) throws(Invalid) {
        guard let text, !text.trimmed.isEmpty else {
            throw Invalid("question is missing or empty: ask needs {\"question\": \"…\"}, the question about the code")
        }
        let trimmed = text.trimmed
        guard trimmed.count <= Self.maximumCharacters else {
            throw Invalid(
                "question is \(trimmed.count) characters long; at most \(Self.maximumCharacters) are accepted. Shorten it, or select the code it is about instead of pasting it")
        }
        self.text = trimmed
    }

    /// A question that cannot be asked, with a message for the user.
    public struct Invalid: Error, Sendable, Hashable, CustomStringConvertible {
        public let message: String
        init(_ message: String) { self.message = message }
        public var description: String { message }
    }
}
