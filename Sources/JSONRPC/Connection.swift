import JSON
import Logging
import Synchronization

/// A JSON-RPC 2.0 connection over LSP's base protocol.
///
/// The `JSONRPC` module owns the wire: `Content-Length` framing (`MessageFramer`), message
/// validation (`Message`), the error codes (`ResponseError`), and this connection, which
/// dispatches to a `MessageHandler`, answers every request exactly once (`IncomingRequest`),
/// handles `$/cancelRequest` ahead of the queue, and correlates replies to the server's own
/// requests to the client (`sendRequest`). It knows nothing of LSP beyond the base protocol.
public final class Connection: Sendable {
    private let output: MessageWriter
    private let logger: Logger

    private struct State {
        var incoming: [RequestID: WeakRequest] = [:]
        var outgoing: [RequestID: CheckedContinuation<JSONValue, any Error>] = [:]
        var nextOutgoingID: Int64 = 1
        var closed = false
    }
    private let state = Mutex(State())

    /// - Parameters:
    ///   - output: writes framed bytes to the client; called under a lock, one frame at a time.
    public init(output: @escaping @Sendable ([UInt8]) -> Void, logger: Logger) {
        self.output = MessageWriter(output)
        self.logger = logger
    }

    /// Reads messages from `input` until it ends, dispatching them to `handler`. Returns when the
    /// input has ended and every dispatched message has been handled.
    public func run<Input: AsyncSequence & Sendable>(input: Input, handler: some MessageHandler) async
    where Input.Element == [UInt8] {
        let (queue, continuation) = AsyncStream<Dispatch>.makeStream()
        let dispatcher = Task {
            for await item in queue {
                switch item {
                case .notification(let method, let params):
                    await handler.handle(notification: method, params: params)
                case .request(let request):
                    if !request.isCancelled { await handler.handle(request: request) }
                }
            }
        }
        var framer = MessageFramer()
        do {
            for try await chunk in input {
                framer.append(chunk)
                while let event = framer.next() {
                    switch event {
                    case .skipped(let reason):
                        logger.warning("skipped input: \(reason)")
                    case .message(let body):
                        receive(body: body, queue: continuation)
                    }
                }
            }
        } catch {
            logger.error("reading input failed: \(error)")
        }
        continuation.finish()
        await dispatcher.value
        close()
    }

    private enum Dispatch: Sendable {
        case notification(String, JSONValue?)
        case request(IncomingRequest)
    }

    private func receive(body: [UInt8], queue: AsyncStream<Dispatch>.Continuation) {
        let value: JSONValue
        do {
            value = try JSONValue.parse(body)
        } catch {
            logger.warning("parse error: \(error)")
            send(.response(id: nil, result: .failure(.parseError("parse error: \(error)"))))
            return
        }
        if case .array(let elements) = value {
            // LSP has no batches; JSON-RPC 2.0 does. Each element is handled as a message of its own.
            if elements.isEmpty {
                logger.warning("invalid message: empty batch")
                send(.response(id: nil, result: .failure(.invalidRequest("empty batch"))))
            }
            for element in elements { receive(value: element, queue: queue) }
            return
        }
        receive(value: value, queue: queue)
    }

    private func receive(value: JSONValue, queue: AsyncStream<Dispatch>.Continuation) {
        switch Message.classify(value) {
        case .failure(let invalid):
            logger.warning("invalid message: \(invalid.error.message)")
            send(.response(id: invalid.id, result: .failure(invalid.error)))
        case .success(.response(let id, let result)):
            resolveOutgoing(id: id, result: result)
        case .success(.notification(let method, let params)):
            if method == "$/cancelRequest" {
                cancelIncoming(params: params)
            } else {
                queue.yield(.notification(method, params))
            }
        case .success(.request(let id, let method, let params)):
            let duplicate = state.withLock { $0.incoming[id]?.request != nil }
            if duplicate {
                send(.response(id: id, result: .failure(.invalidRequest("request id \(id) is already in use"))))
                return
            }
            let request = IncomingRequest(
                id: id, method: method, params: params,
                send: { [weak self] id, result in self?.finishIncoming(id: id, method: method, result: result) },
                onDuplicateReply: { [logger] id, method in
                    logger.error("second reply to \(method) id \(id) dropped")
                })
            state.withLock { $0.incoming[id] = WeakRequest(request: request) }
            queue.yield(.request(request))
        }
    }

    private func finishIncoming(id: RequestID, method: String, result: Result<JSONValue, ResponseError>) {
        state.withLock { _ = $0.incoming.removeValue(forKey: id) }
        if case .failure(let error) = result {
            let level: Logger.Level = error.code == ResponseError.requestCancelledCode ? .debug : .warning
            logger.log(level: level, "\(method) id \(id) answered with error \(error.code): \(error.message)")
        }
        send(.response(id: id, result: result))
    }

    private func cancelIncoming(params: JSONValue?) {
        guard let rawID = params?["id"], let id = RequestID(rawID) else {
            logger.warning("$/cancelRequest without a valid id ignored")
            return
        }
        let request = state.withLock { $0.incoming[id]?.request }
        guard let request else {
            logger.debug("$/cancelRequest for \(id), which is not running")
            return
        }
        logger.debug("cancelling \(request.method) id \(id)")
        request.cancel()
    }

    /// Cancels the running incoming request `id` as if the client had sent `$/cancelRequest`
    /// (e.g. for `window/workDoneProgress/cancel`, or a newer request superseding it).
    public func cancelIncoming(id: RequestID) {
        let request = state.withLock { $0.incoming[id]?.request }
        request?.cancel()
    }

    private func resolveOutgoing(id: RequestID?, result: Result<JSONValue, ResponseError>) {
        guard let id else {
            logger.warning("client sent an error without id: \(result)")
            return
        }
        let continuation = state.withLock { $0.outgoing.removeValue(forKey: id) }
        guard let continuation else {
            logger.warning("reply to unknown request id \(id) ignored")
            return
        }
        continuation.resume(with: result.mapError { $0 as any Error })
    }

    /// Sends a notification to the client.
    public func sendNotification(_ method: String, _ params: JSONValue?) {
        send(.notification(method: method, params: params))
    }

    /// Sends a request to the client and waits for its reply. Throws the client's
    /// `ResponseError`, or `CancellationError` when the calling task is cancelled, or
    /// `ConnectionClosed` when the connection ends first.
    public func sendRequest(_ method: String, _ params: JSONValue?) async throws -> JSONValue {
        let id: RequestID = state.withLock { state in
            defer { state.nextOutgoingID += 1 }
            return .number(state.nextOutgoingID)
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<JSONValue, any Error>) in
                let closed = state.withLock { state -> Bool in
                    if state.closed { return true }
                    if Task.isCancelled { return true }
                    state.outgoing[id] = continuation
                    return false
                }
                if closed {
                    continuation.resume(throwing: Task.isCancelled ? CancellationError() as any Error : ConnectionClosed())
                    return
                }
                send(.request(id: id, method: method, params: params))
            }
        } onCancel: {
            let continuation = state.withLock { $0.outgoing.removeValue(forKey: id) }
            continuation?.resume(throwing: CancellationError())
        }
    }

    /// Fails every outstanding outgoing request; later ones fail at once.
    public func close() {
        let pending = state.withLock { state -> [CheckedContinuation<JSONValue, any Error>] in
            state.closed = true
            defer { state.outgoing.removeAll() }
            return Array(state.outgoing.values)
        }
        for continuation in pending { continuation.resume(throwing: ConnectionClosed()) }
    }

    private func send(_ message: Message) {
        output.write(MessageFramer.frame(message.jsonValue.serializedBytes()))
    }
}

/// The connection ended before the client replied.
public struct ConnectionClosed: Error, Sendable, CustomStringConvertible {
    public init() {}
    public var description: String { "the connection to the client is closed" }
}

private struct WeakRequest {
    weak var request: IncomingRequest?
}

/// Serialises frame writes so concurrent replies never interleave.
final class MessageWriter: Sendable {
    private let lock = Mutex(())
    private let sink: @Sendable ([UInt8]) -> Void

    init(_ sink: @escaping @Sendable ([UInt8]) -> Void) { self.sink = sink }

    func write(_ bytes: [UInt8]) {
        lock.withLock { _ in sink(bytes) }
    }
}
