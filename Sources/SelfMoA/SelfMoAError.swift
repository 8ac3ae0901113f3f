import ModelBackend

/// A run the engine refuses before calling the model, with a message a user can act on.
///
/// Failures of the model itself surface as `ModelBackendError`; cancellation as
/// `CancellationError`. Compared by code, like `ModelBackendError`.
public struct SelfMoAError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of refusal.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Base: String, Sendable, Hashable {
            case invalidConfiguration, invalidTask, contextTooLarge
        }
        fileprivate let base: Base
        public var description: String { base.rawValue }

        /// A configuration value is out of range (N < 1, a window under 3 slots, …).
        public static let invalidConfiguration = Code(base: .invalidConfiguration)
        /// The task is inconsistent (a selection or cursor outside the file, …).
        public static let invalidTask = Code(base: .invalidTask)
        /// Even the selection alone, with the smallest plan, does not fit the model's context.
        public static let contextTooLarge = Code(base: .contextTooLarge)
    }

    public var code: Code
    /// What is wrong and what to do about it.
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }

    public static func == (lhs: SelfMoAError, rhs: SelfMoAError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }
}
