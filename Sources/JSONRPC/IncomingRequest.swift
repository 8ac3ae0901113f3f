import JSON
import Synchronization

/// A request from the client, answered exactly once by construction.
///
/// The first `reply` wins; later ones are dropped (and logged by the connection). If the last
/// reference goes away unanswered, `deinit` answers with an internal error, so a request can be
/// neither answered twice nor left hanging. `$/cancelRequest` answers −32800 at once and cancels
/// the work attached with `run`.
public final class IncomingRequest: Sendable {
    public let id: RequestID
    public let method: String
    public let params: JSONValue?

    private struct State {
        var replied = false
        var cancelled = false
        var task: Task<Void, Never>?
    }
    private let state = Mutex(State())
    private let send: @Sendable (RequestID, Result<JSONValue, ResponseError>) -> Void
    private let onDuplicateReply: @Sendable (RequestID, String) -> Void

    init(
        id: RequestID, method: String, params: JSONValue?,
        send: @escaping @Sendable (RequestID, Result<JSONValue, ResponseError>) -> Void,
        onDuplicateReply: @escaping @Sendable (RequestID, String) -> Void
    ) {
        self.id = id
        self.method = method
        self.params = params
        self.send = send
        self.onDuplicateReply = onDuplicateReply
    }

    /// `true` once the client cancelled this request.
    public var isCancelled: Bool { state.withLock { $0.cancelled } }

    /// `true` once an answer went out.
    public var isReplied: Bool { state.withLock { $0.replied } }

    /// Answers the request. Only the first answer is sent.
    public func reply(_ result: Result<JSONValue, ResponseError>) {
        let first = state.withLock { state -> Bool in
            if state.replied { return false }
            state.replied = true
            return true
        }
        if first {
            send(id, result)
        } else if !isCancelled {
            onDuplicateReply(id, method)
        }
    }

    /// Answers with a result.
    public func reply(_ value: JSONValue) { reply(.success(value)) }

    /// Answers with an error.
    public func reply(error: ResponseError) { reply(.failure(error)) }

    /// Runs `body` in a new task and answers with its outcome: its value, the `ResponseError` it
    /// throws, −32800 for cancellation, or an internal error naming anything else it throws.
    public func run(_ body: @escaping @Sendable () async throws -> JSONValue) {
        let task = Task { [self] in
            do {
                let value = try await body()
                if Task.isCancelled { reply(error: .requestCancelled) } else { reply(value) }
            } catch let error as ResponseError {
                reply(error: error)
            } catch is CancellationError {
                reply(error: .requestCancelled)
            } catch {
                reply(error: .internalError("\(method) failed: \(error)"))
            }
        }
        let cancelNow = state.withLock { state -> Bool in
            state.task = task
            return state.cancelled
        }
        if cancelNow { task.cancel() }
    }

    /// Cancels the attached work and answers −32800 at once.
    func cancel() {
        let task = state.withLock { state -> Task<Void, Never>? in
            state.cancelled = true
            return state.task
        }
        reply(error: .requestCancelled)
        task?.cancel()
    }

    deinit {
        let unanswered = state.withLock { !$0.replied }
        if unanswered {
            send(id, .failure(.internalError("the server dropped \(method) without answering")))
        }
    }
}
