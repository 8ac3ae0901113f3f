/// Why a byte sequence is not acceptable JSON, and where the parser stopped.
public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What json-c reported (or our own limit that was hit).
    public var reason: String
    /// Byte offset into the input where parsing stopped.
    public var offset: Int

    public init(reason: String, offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}
