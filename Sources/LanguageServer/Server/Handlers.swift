import JSON
import JSONRPC

/// How one request method is answered: its params decoded into one type, its result encoded
/// from one type, every error mapped once (`LanguageServer.responseError`).
struct RequestHandler: Sendable {
    let handle: @Sendable (isolated LanguageServer, IncomingRequest) async -> Void

    /// A method answered on the spot, on the server's actor.
    static func answer<Params: Decodable & Sendable, Result: Encodable & Sendable>(
        _: Params.Type, _ body: @escaping @Sendable (isolated LanguageServer, Params) async throws -> Result
    ) -> RequestHandler {
        RequestHandler { server, request in
            do {
                let params: Params = try server.decode(request.params)
                request.reply(try server.encode(try await body(server, params)))
            } catch {
                request.reply(error: LanguageServer.responseError(error))
            }
        }
    }

    /// A method whose work (the model's, or a request to the client) runs in a task attached to
    /// the request, so `$/cancelRequest` cancels it: `body` takes what it needs from the server's
    /// state at once and returns that work.
    static func work<Params: Decodable & Sendable, Result: Encodable & Sendable>(
        _: Params.Type,
        _ body: @escaping @Sendable (isolated LanguageServer, Params, IncomingRequest) throws -> @Sendable () async throws -> Result
    ) -> RequestHandler {
        RequestHandler { server, request in
            do {
                let params: Params = try server.decode(request.params)
                let work = try body(server, params, request)
                request.run {
                    do {
                        return try JSONValueEncoder().encode(try await work())
                    } catch {
                        throw LanguageServer.responseError(error)
                    }
                }
            } catch {
                request.reply(error: LanguageServer.responseError(error))
            }
        }
    }
}

/// How one notification is handled: its params decoded into one type; a notification cannot be
/// answered, so a failure is logged.
struct NotificationHandler: Sendable {
    let handle: @Sendable (isolated LanguageServer, JSONValue?) async throws -> Void

    static func decode<Params: Decodable & Sendable>(
        _: Params.Type, _ body: @escaping @Sendable (isolated LanguageServer, Params) async throws -> Void
    ) -> NotificationHandler {
        NotificationHandler { server, params in try await body(server, try server.decode(params)) }
    }

    /// A notification without params worth decoding.
    static func plain(_ body: @escaping @Sendable (isolated LanguageServer) async -> Void) -> NotificationHandler {
        NotificationHandler { server, _ in await body(server) }
    }
}

/// A request whose params do not matter (`shutdown`).
struct NoParams: Decodable, Sendable {
    init(from decoder: any Decoder) throws {}
}

extension LanguageServer {
    /// Every request method the server answers, each from its params to its result.
    static let requestHandlers: [String: RequestHandler] = [
        "initialize": .answer(InitializeParams.self) { try await $0.initialize($1) },
        "shutdown": .answer(NoParams.self) { server, _ in server.shutdown() },
        "textDocument/codeAction": .answer(CodeActionParams.self) { try $0.codeActions($1) },
        "codeAction/resolve": .answer(CodeAction.self) { try $0.resolveCodeAction($1) },
        "workspace/executeCommand": .work(ExecuteCommandParams.self) { try $0.executeCommand($1, request: $2) },
        "textDocument/completion": .work(TextDocumentPositionParams.self) { try $0.completion($1, request: $2) },
        "textDocument/inlineCompletion": .work(TextDocumentPositionParams.self) { try $0.inlineCompletion($1, request: $2) },
    ]

    /// Every notification the server acts on; others (`$/…` included) are ignored, as the
    /// specification says.
    static let notificationHandlers: [String: NotificationHandler] = [
        "initialized": .plain { _ in },
        "exit": .plain { await $0.exit() },
        "textDocument/didOpen": .decode(DidOpenTextDocumentParams.self) { $0.didOpen($1) },
        "textDocument/didChange": .decode(DidChangeTextDocumentParams.self) { $0.didChange($1) },
        "textDocument/didClose": .decode(DidCloseTextDocumentParams.self) { $0.didClose($1) },
        "textDocument/didSave": .plain { _ in },
        "workspace/didChangeConfiguration": .decode(DidChangeConfigurationParams.self) { await $0.didChangeConfiguration($1) },
        "window/workDoneProgress/cancel": .decode(WorkDoneProgressCancelParams.self) { $0.cancelProgress($1) },
    ]
}
