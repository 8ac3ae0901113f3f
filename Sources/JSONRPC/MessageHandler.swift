import JSON

/// What a server implements to receive messages from a `Connection`.
///
/// Both methods are called one at a time, in arrival order, and awaited before the next message is
/// dispatched, so document notifications are applied in order and a request sees every
/// notification that came before it. Work that takes long (a model call) must not be awaited
/// here: take what it needs, then hand it to `IncomingRequest.run`, which runs concurrently.
public protocol MessageHandler: Sendable {
    /// A notification other than `$/cancelRequest` (which the connection handles itself).
    func handle(notification method: String, params: JSONValue?) async

    /// A request. Answer it through `request` (directly or via `run`).
    func handle(request: IncomingRequest) async
}
