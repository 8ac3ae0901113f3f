/// A failure to get an answer from the model backend, with a message a user can act on.
///
/// Follows the swift-nio style: a struct wrapping a code, compared by code, so new codes do not
/// break callers. `message` is shown to the user as is and never contains an API key.
public struct ModelBackendError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Base: String, Sendable, Hashable {
            case unreachable, unauthorized, modelNotFound, serverError, contextOverflow, timeout
            case badResponse, unsupported, notSetUp, serverCrashed, cancelled, invalidRequest
        }
        fileprivate let base: Base
        public var description: String { base.rawValue }

        /// Nothing listens at the URL, or the connection failed.
        public static let unreachable = Code(base: .unreachable)
        /// 401/403: missing or wrong API key.
        public static let unauthorized = Code(base: .unauthorized)
        /// 404: no such model or endpoint.
        public static let modelNotFound = Code(base: .modelNotFound)
        /// 5xx.
        public static let serverError = Code(base: .serverError)
        /// The prompt does not fit the model's context.
        public static let contextOverflow = Code(base: .contextOverflow)
        /// No first token or no end within the configured time.
        public static let timeout = Code(base: .timeout)
        /// The server answered something that is not the API's shape.
        public static let badResponse = Code(base: .badResponse)
        /// The backend lacks the feature (e.g. infill).
        public static let unsupported = Code(base: .unsupported)
        /// The embedded default is not installed.
        public static let notSetUp = Code(base: .notSetUp)
        /// The managed llama-server died.
        public static let serverCrashed = Code(base: .serverCrashed)
        /// The caller cancelled.
        public static let cancelled = Code(base: .cancelled)
        /// The request itself is wrong (400 other than context overflow).
        public static let invalidRequest = Code(base: .invalidRequest)
    }

    public var code: Code
    /// What happened and what to do about it.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: ModelBackendError, rhs: ModelBackendError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
