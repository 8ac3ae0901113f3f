import Assistant
import JSON
import JSONRPC
import Logging

/// The language server: LSP on top of a `Connection`.
///
/// Every method has one handler in `requestHandlers` or `notificationHandlers` (`Handlers.swift`),
/// from its params type to its result type; errors become JSON-RPC codes in one place
/// (`responseError`).
///
/// The `LanguageServer` module owns the LSP side: the protocol types we use (`Protocol/`), the
/// open documents with incremental sync and position encodings (`Documents/`), the lifecycle,
/// capabilities and dispatch (`Server/`), and the handlers that turn code actions and commands
/// into `Assistant` actions, progress, diagnostics and edits. Notifications are handled in
/// arrival order on this actor; model work runs in tasks attached to its request, so it can be
/// cancelled.
public actor LanguageServer: MessageHandler {
    let connection: Connection
    let logger: Logger
    let onExit: @Sendable (Int32) -> Void
    let options: Options
    var lifecycle = Lifecycle()
    var documents = DocumentStore()
    var encoding: PositionEncoding = .utf16
    var client = ClientCapabilities(nil)
    var settings: ServerSettings
    let models: ModelProvider
    /// Progress tokens of running actions, for `window/workDoneProgress/cancel`.
    var progressRequests: [JSONValue: RequestID] = [:]
    /// Review diagnostics by document.
    var reviews: [String: PublishedReview] = [:]
    /// The workspace's folder (from `rootUri` or the first workspace folder), for
    /// `selfmoa.reviewChanges`.
    var workspaceRoot: String?
    /// Running completion requests by document, cancelled when it changes.
    var completions: [String: [IncomingRequest]] = [:]

    /// - Parameters:
    ///   - connection: where to send notifications and server-to-client requests.
    ///   - onExit: called with the exit code when the client sends `exit`.
    public init(
        connection: Connection, logger: Logger, options: Options = Options(),
        onExit: @escaping @Sendable (Int32) -> Void
    ) {
        self.connection = connection
        self.logger = logger
        self.options = options
        self.onExit = onExit
        self.settings = options.settings
        self.models = ModelProvider(configuration: options.settings.backend, logger: logger, make: options.makeModel)
    }

    // MARK: Dispatch

    public func handle(notification method: String, params: JSONValue?) async {
        guard lifecycle.admit(notification: method) else {
            logger.debug("notification \(method) ignored in state \(lifecycle.state)")
            return
        }
        guard let handler = Self.notificationHandlers[method] else {
            // Unknown notifications, `$/…` ones included, are ignored as the spec says.
            logger.debug("notification \(method) ignored")
            return
        }
        do {
            try await handler.handle(self, params)
        } catch {
            logger.warning("notification \(method) rejected: \(Self.responseError(error).message)")
        }
    }

    public func handle(request: IncomingRequest) async {
        switch lifecycle.admit(request: request.method) {
        case .accept: break
        case .rejectNotInitialized: return request.reply(error: .serverNotInitialized)
        case .rejectShutDown:
            return request.reply(error: .invalidRequest("the server is shut down: only exit is accepted"))
        case .rejectAlreadyInitialized:
            return request.reply(error: .invalidRequest("initialize was already received"))
        }
        guard let handler = Self.requestHandlers[request.method] else {
            return request.reply(error: .methodNotFound(request.method))
        }
        await handler.handle(self, request)
    }

    /// `shutdown`: from now on only `exit` is accepted.
    func shutdown() -> JSONValue {
        lifecycle.shutdown()
        return .null
    }

    /// `exit`: stops the managed model server and ends the process.
    func exit() async {
        await models.shutdown()
        onExit(lifecycle.exitCode)
    }

    /// Decodes params into `T`, or an invalid-params error naming the offending field.
    nonisolated func decode<T: Decodable>(_ params: JSONValue?, as type: T.Type = T.self) throws(ResponseError) -> T {
        do {
            return try JSONValueDecoder().decode(T.self, from: params ?? .object([:]))
        } catch let error as DecodingError {
            throw .invalidParams("invalid params: \(error.humanDescription)")
        } catch {
            throw .invalidParams("invalid params: \(error)")
        }
    }

    /// Encodes a result value.
    nonisolated func encode(_ value: some Encodable) throws(ResponseError) -> JSONValue {
        do {
            return try JSONValueEncoder().encode(value)
        } catch {
            throw .internalError("could not encode the result: \(error)")
        }
    }

    /// Sends a notification with an encodable payload.
    func notify(_ method: String, _ params: some Encodable) {
        do {
            connection.sendNotification(method, try encode(params))
        } catch {
            logger.error("could not send \(method): \(error)")
        }
    }

    /// Shows a message in the client (`window/showMessage`): 1 error, 2 warning, 3 info.
    func showMessage(_ type: Int, _ message: String) {
        notify("window/showMessage", ShowMessageParams(type: type, message: message))
    }
}

extension LanguageServer {
    /// The exit code when the client closes the stream without `exit`: 0 after `shutdown`, else 1.
    public var exitCodeOnEndOfInput: Int32 { lifecycle.exitCode }

    /// Stops what the server started (the managed model server). Call before the process exits.
    public func shutdownBackend() async { await models.shutdown() }
}

extension LanguageServer {
    /// The open document at `uri` as the server sees it now (for tests and diagnostics).
    public func documentSnapshot(_ uri: String) -> TextDocument? { documents[uri] }
}
