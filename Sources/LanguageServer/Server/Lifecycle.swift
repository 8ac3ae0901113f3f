/// The server's lifecycle as a plain state machine (LSP §Lifecycle), tested without I/O.
public struct Lifecycle: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        /// Waiting for `initialize`.
        case uninitialized
        /// `initialize` answered; serving.
        case running
        /// `shutdown` answered; only `exit` is accepted.
        case shutDown
    }

    public private(set) var state: State = .uninitialized

    public init() {}

    /// What to do with a request named `method` in the current state.
    public enum Admission: Sendable, Equatable {
        case accept
        case rejectNotInitialized
        case rejectShutDown
        case rejectAlreadyInitialized
    }

    public func admit(request method: String) -> Admission {
        switch state {
        case .uninitialized:
            return method == "initialize" ? .accept : .rejectNotInitialized
        case .running:
            return method == "initialize" ? .rejectAlreadyInitialized : .accept
        case .shutDown:
            return .rejectShutDown
        }
    }

    /// Notifications before `initialize` are dropped, except `exit`; after `shutdown` only `exit`.
    public func admit(notification method: String) -> Bool {
        if method == "exit" { return true }
        return state == .running
    }

    public mutating func initialized() { state = .running }
    public mutating func shutdown() { state = .shutDown }

    /// The process exit code for `exit`: 0 after `shutdown`, 1 otherwise.
    public var exitCode: Int32 { state == .shutDown ? 0 : 1 }
}
