import Foundation
import JSON
import JSONRPC
import Logging
import Synchronization

/// An LSP client for tests: sends requests and notifications, records what the server sends,
/// and answers the server's own requests (`workspace/applyEdit`, progress creation, …) through a
/// replaceable responder. Works over in-process streams or the real binary's pipes.
public final class TestClient: MessageHandler, Sendable {
    public let connection: Connection

    private struct State {
        var notifications: [(method: String, params: JSONValue?)] = []
        var serverRequests: [(method: String, params: JSONValue?)] = []
        var waiters: [(id: Int, predicate: @Sendable (String, JSONValue?) -> Bool, continuation: CheckedContinuation<JSONValue?, any Error>)] = []
        var nextWaiter = 0
        var responder: @Sendable (String, JSONValue?) -> Result<JSONValue, ResponseError> = TestClient.defaultResponder
    }
    private let state = Mutex(State())

    /// Answers `workspace/applyEdit` with applied, `window/workDoneProgress/create` and
    /// `window/showDocument` with success, and anything else with method-not-found.
    public static let defaultResponder: @Sendable (String, JSONValue?) -> Result<JSONValue, ResponseError> = { method, _ in
        switch method {
        case "workspace/applyEdit": return .success(["applied": true])
        case "window/workDoneProgress/create": return .success(.null)
        case "window/showDocument": return .success(["success": true])
        default: return .failure(.methodNotFound(method))
        }
    }

    public init(output: @escaping @Sendable ([UInt8]) -> Void) {
        var logger = Logger(label: "test-client")
        logger.logLevel = .critical
        connection = Connection(output: output, logger: logger)
    }

    /// Replaces how the client answers the server's requests.
    public func setResponder(_ responder: @escaping @Sendable (String, JSONValue?) -> Result<JSONValue, ResponseError>) {
        state.withLock { $0.responder = responder }
    }

    public func request(_ method: String, _ params: JSONValue? = nil) async throws -> JSONValue {
        try await connection.sendRequest(method, params)
    }

    public func notify(_ method: String, _ params: JSONValue? = nil) {
        connection.sendNotification(method, params)
    }

    /// Every notification received so far, in order.
    public var notifications: [(method: String, params: JSONValue?)] { state.withLock { $0.notifications } }

    /// Every request the server sent so far, in order.
    public var serverRequests: [(method: String, params: JSONValue?)] { state.withLock { $0.serverRequests } }

    /// Waits for the first notification (already received or future) named `method` that
    /// satisfies `predicate`; fails after `timeout` seconds so a broken server cannot hang a test.
    public func waitForNotification(
        _ method: String, timeout: Double = 60, where predicate: @escaping @Sendable (JSONValue?) -> Bool = { _ in true }
    ) async throws -> JSONValue? {
        let matcher: @Sendable (String, JSONValue?) -> Bool = { $0 == method && predicate($1) }
        let id = state.withLock { state -> Int in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return try await withThrowingTaskGroup(of: JSONValue?.self) { group in
            group.addTask {
                try await withCheckedThrowingContinuation { continuation in
                    let existing = self.state.withLock { state -> (Bool, JSONValue?) in
                        if let found = state.notifications.first(where: { matcher($0.method, $0.params) }) {
                            return (true, found.params)
                        }
                        state.waiters.append((id, matcher, continuation))
                        return (false, nil)
                    }
                    if existing.0 { continuation.resume(returning: existing.1) }
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(timeout))
                let continuation = self.state.withLock { state -> CheckedContinuation<JSONValue?, any Error>? in
                    guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                    return state.waiters.remove(at: index).continuation
                }
                continuation?.resume(throwing: TimedOut(what: "notification \(method)"))
                throw TimedOut(what: "notification \(method)")
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    public func handle(notification method: String, params: JSONValue?) async {
        let ready = state.withLock { state -> [(CheckedContinuation<JSONValue?, any Error>)] in
            state.notifications.append((method, params))
            var ready: [CheckedContinuation<JSONValue?, any Error>] = []
            state.waiters.removeAll { waiter in
                if waiter.predicate(method, params) {
                    ready.append(waiter.continuation)
                    return true
                }
                return false
            }
            return ready
        }
        for continuation in ready { continuation.resume(returning: params) }
    }

    public func handle(request: IncomingRequest) async {
        let responder = state.withLock { state in
            state.serverRequests.append((request.method, request.params))
            return state.responder
        }
        request.reply(responder(request.method, request.params))
    }
}

/// A test waited longer than it allows.
public struct TimedOut: Error, CustomStringConvertible {
    public init(what: String) { self.what = what }
    public var what: String
    public var description: String { "timed out waiting for \(what)" }
}

/// Two in-memory byte pipes, one per direction.
public struct InProcessPipes: Sendable {
    public let toServer: AsyncStream<[UInt8]>
    public let toServerWriter: @Sendable ([UInt8]) -> Void
    public let toClient: AsyncStream<[UInt8]>
    public let toClientWriter: @Sendable ([UInt8]) -> Void
    private let closeServerInput: @Sendable () -> Void

    public init() {
        let (a, aContinuation) = AsyncStream<[UInt8]>.makeStream()
        let (b, bContinuation) = AsyncStream<[UInt8]>.makeStream()
        toServer = a
        toServerWriter = { aContinuation.yield($0) }
        toClient = b
        toClientWriter = { bContinuation.yield($0) }
        closeServerInput = { aContinuation.finish(); bContinuation.finish() }
    }

    /// Ends both directions, as a client closing its end would.
    public func close() { closeServerInput() }
}
