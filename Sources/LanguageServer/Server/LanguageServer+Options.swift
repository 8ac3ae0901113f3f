extension LanguageServer {
    /// How the server is put together: what the executable (or a test) decides before any client
    /// speaks.
    public struct Options: Sendable {
        public init() {}
    }
}
