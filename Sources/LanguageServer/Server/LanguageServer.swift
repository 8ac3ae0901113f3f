import Assistant
import JSON
import JSONRPC
import Logging

/// The language server: LSP on top of a `Connection`.
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
        do {
            switch method {
            case "initialized": break
            case "exit":
                await models.shutdown()
                onExit(lifecycle.exitCode)
            case "textDocument/didOpen": try didOpen(decode(params))
            case "textDocument/didChange": try didChange(decode(params))
            case "textDocument/didClose": try didClose(decode(params))
            case "textDocument/didSave": break
            case "workspace/didChangeConfiguration": try await didChangeConfiguration(decode(params))
            case "window/workDoneProgress/cancel": try cancelProgress(decode(params))
            default:
                // Unknown notifications, `$/…` ones included, are ignored as the spec says.
                logger.debug("notification \(method) ignored")
            }
        } catch {
            logger.warning("notification \(method) rejected: \(error.message)")
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
        do {
            switch request.method {
            case "initialize": request.reply(try await initialize(decode(request.params)))
            case "shutdown":
                lifecycle.shutdown()
                request.reply(.null)
            case "textDocument/codeAction": request.reply(try codeActions(decode(request.params)))
            case "codeAction/resolve": request.reply(try resolveCodeAction(decode(request.params)))
            case "workspace/executeCommand": try executeCommand(decode(request.params), request: request)
            case "textDocument/completion": try completion(decode(request.params), request: request)
            case "textDocument/inlineCompletion": try inlineCompletion(decode(request.params), request: request)
            default: request.reply(error: .methodNotFound(request.method))
            }
        } catch {
            request.reply(error: error)
        }
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
