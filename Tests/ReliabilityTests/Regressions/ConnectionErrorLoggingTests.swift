import JSON
import JSONRPC
import Logging
import Testing

/// Every error the server answers with is logged with the method and id, so a user's log shows
/// why a request failed; cancellations only at debug level. Empty batches are logged like other
/// invalid messages.
@Suite struct ConnectionErrorLoggingTests {
    /// Answers `ok` with null and everything else with method-not-found or invalid params.
    private struct Handler: MessageHandler {
        func handle(notification method: String, params: JSONValue?) async {}
        func handle(request: IncomingRequest) async {
            switch request.method {
            case "ok": request.reply(.null)
            case "params": request.reply(error: .invalidParams("invalid params: textDocument: missing"))
            default: request.reply(error: .methodNotFound(request.method))
            }
        }
    }

    private func run(_ messages: [String]) async -> [(level: Logger.Level, message: String)] {
        let (logger, lines) = CapturingLogHandler.logger()
        let connection = Connection(output: { _ in }, logger: logger)
        let (input, continuation) = AsyncStream<[UInt8]>.makeStream()
        for message in messages { continuation.yield(MessageFramer.frame(Array(message.utf8))) }
        continuation.finish()
        await connection.run(input: input, handler: Handler())
        return lines.all
    }

    @Test func errorRepliesAreLoggedWithMethodAndID() async {
        let lines = await run([
            #"{"jsonrpc":"2.0","id":1,"method":"ok"}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"nope"}"#,
            #"{"jsonrpc":"2.0","id":"p","method":"params"}"#,
        ])
        let messages = lines.map(\.message)
        #expect(messages.contains("nope id 2 answered with error -32601: method not found: nope"))
        #expect(messages.contains("params id \"p\" answered with error -32602: invalid params: textDocument: missing"))
        #expect(!messages.contains { $0.contains("ok id 1") })
        #expect(lines.filter { $0.message.contains("answered with error") }.allSatisfy { $0.level == .warning })
    }

    @Test func emptyBatchesAreLogged() async {
        let lines = await run(["[]"])
        #expect(lines.contains { $0.level == .warning && $0.message == "invalid message: empty batch" })
    }
}
