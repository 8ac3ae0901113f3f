import JSON
import JSONRPC
import Logging
import LSPTestSupport
import Synchronization
import Testing

/// A handler with a few behaviours to exercise the connection's guarantees.
private final class ScriptedHandler: MessageHandler {
    let notifications = Mutex<[String]>([])
    final class Flag: Sendable {
        let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        var isSet: Bool { value.withLock { $0 } }
    }
    let observedCancellation = Flag()
    let started = Flag()

    func handle(notification method: String, params: JSONValue?) async {
        notifications.withLock { $0.append(method) }
    }

    func handle(request: IncomingRequest) async {
        switch request.method {
        case "echo":
            request.reply(request.params ?? .null)
        case "twice":
            request.reply("first")
            request.reply("second")
        case "drop":
            break  // never answered: the request's deinit must answer for us
        case "sleep":
            let flag = observedCancellation
            let started = started
            request.run {
                started.set()
                do {
                    try await Task.sleep(for: .seconds(30))
                } catch {
                    flag.set()
                    throw error
                }
                return "woke"
            }
        default:
            request.reply(error: .methodNotFound(request.method))
        }
    }
}

@Suite struct ConnectionTests {
    /// Runs a connection over in-memory pipes; the returned function sends raw bytes and the
    /// stream yields every JSON value the server wrote.
    private func start(_ handler: ScriptedHandler) -> (send: @Sendable ([UInt8]) -> Void, replies: AsyncStream<JSONValue>, pipes: InProcessPipes) {
        let pipes = InProcessPipes()
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let connection = Connection(output: pipes.toClientWriter, logger: logger)
        Task { await connection.run(input: pipes.toServer, handler: handler) }
        let (replies, continuation) = AsyncStream<JSONValue>.makeStream()
        Task {
            var framer = MessageFramer()
            for await chunk in pipes.toClient {
                framer.append(chunk)
                while case .message(let body)? = framer.next() {
                    continuation.yield(try! JSONValue.parse(body))
                }
            }
            continuation.finish()
        }
        return (pipes.toServerWriter, replies, pipes)
    }

    private func frame(_ text: String) -> [UInt8] { MessageFramer.frame(Array(text.utf8)) }

    @Test func parseErrorHasNullIDAndTheConnectionLivesOn() async throws {
        let (send, replies, pipes) = start(ScriptedHandler())
        defer { pipes.close() }
        send(frame("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\""))
        send(frame(#"{"jsonrpc":"2.0","id":2,"method":"echo","params":[1]}"#))
        var iterator = replies.makeAsyncIterator()
        let first = await iterator.next()
        #expect(first?["error"]?["code"] == -32700)
        #expect(first?["id"] == .null)
        let second = await iterator.next()
        #expect(second?["id"] == 2)
        #expect(second?["result"] == [1])
    }

    @Test func invalidUTF8IsAParseError() async throws {
        let (send, replies, pipes) = start(ScriptedHandler())
        defer { pipes.close() }
        send(MessageFramer.frame(Array(#"{"jsonrpc":"2.0","id":1,"method":"echo","params":[""#.utf8) + [0xFF, 0xFE] + Array("\"]}".utf8)))
        var iterator = replies.makeAsyncIterator()
        #expect(await iterator.next()?["error"]?["code"] == -32700)
    }

    @Test func emptyBatchAndNonObjectBatchElementsAreInvalidRequests() async throws {
        let (send, replies, pipes) = start(ScriptedHandler())
        defer { pipes.close() }
        send(frame("[]"))
        send(frame("[1]"))
        var iterator = replies.makeAsyncIterator()
        for _ in 0..<2 {
            let reply = await iterator.next()
            #expect(reply?["error"]?["code"] == -32600)
            #expect(reply?["id"] == .null)
        }
    }

    @Test func batchElementsAreEachHandled() async throws {
        let (send, replies, pipes) = start(ScriptedHandler())
        defer { pipes.close() }
        send(frame(#"[{"jsonrpc":"2.0","id":1,"method":"echo","params":["a"]},{"jsonrpc":"2.0","id":2,"method":"echo","params":["b"]}]"#))
        var iterator = replies.makeAsyncIterator()
        let ids = [await iterator.next()?["id"], await iterator.next()?["id"]]
        #expect(Set(ids.compactMap { $0 }) == [1, 2])
    }

    @Test func repliedExactlyOnceEvenWhenTheHandlerRepliesTwiceOrNever() async throws {
        let (send, replies, pipes) = start(ScriptedHandler())
        defer { pipes.close() }
        send(frame(#"{"jsonrpc":"2.0","id":1,"method":"twice"}"#))
        send(frame(#"{"jsonrpc":"2.0","id":2,"method":"drop"}"#))
        send(frame(#"{"jsonrpc":"2.0","id":3,"method":"echo","params":{"done":true}}"#))
        var iterator = replies.makeAsyncIterator()
        var byID: [JSONValue: [JSONValue]] = [:]
        for _ in 0..<3 {
            let reply = try #require(await iterator.next())
            byID[reply["id"] ?? .null, default: []].append(reply)
        }
        #expect(byID[1]?.map { $0["result"] } == ["first"])
        #expect(byID[2]?.first?["error"]?["code"] == -32603)
        #expect(byID[3]?.count == 1)
    }

    @Test func cancelRequestAnswersAtOnceAndCancelsTheTask() async throws {
        let handler = ScriptedHandler()
        let (send, replies, pipes) = start(handler)
        defer { pipes.close() }
        send(frame(#"{"jsonrpc":"2.0","id":"s","method":"sleep"}"#))
        let startDeadline = ContinuousClock.now + .seconds(10)
        while !handler.started.isSet && ContinuousClock.now < startDeadline { try await Task.sleep(for: .milliseconds(5)) }
        send(frame(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"s"}}"#))
        send(frame(#"{"jsonrpc":"2.0","id":9,"method":"echo","params":[]}"#))
        var iterator = replies.makeAsyncIterator()
        var seen: [JSONValue] = []
        for _ in 0..<2 { if let reply = await iterator.next() { seen.append(reply) } }
        let cancelled = seen.first { $0["id"] == "s" }
        #expect(cancelled?["error"]?["code"] == -32800)
        let deadline = ContinuousClock.now + .seconds(10)
        while !handler.observedCancellation.isSet && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(handler.observedCancellation.isSet)
    }

    @Test func notificationsArriveInOrder() async throws {
        let handler = ScriptedHandler()
        let (send, replies, pipes) = start(handler)
        defer { pipes.close() }
        for index in 0..<50 { send(frame("{\"jsonrpc\":\"2.0\",\"method\":\"n\(index)\"}")) }
        send(frame(#"{"jsonrpc":"2.0","id":1,"method":"echo"}"#))
        var iterator = replies.makeAsyncIterator()
        _ = await iterator.next()
        #expect(handler.notifications.withLock { $0 } == (0..<50).map { "n\($0)" })
    }

    @Test func serverToClientRequestsAreCorrelated() async throws {
        let pipes = InProcessPipes()
        defer { pipes.close() }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let server = Connection(output: pipes.toClientWriter, logger: logger)
        let client = TestClient(output: pipes.toServerWriter)
        client.setResponder { method, params in .success(["method": .string(method), "echo": params ?? .null]) }
        Task { await server.run(input: pipes.toServer, handler: ScriptedHandler()) }
        Task { await client.connection.run(input: pipes.toClient, handler: client) }
        async let a = server.sendRequest("workspace/applyEdit", ["n": 1])
        async let b = server.sendRequest("window/showDocument", ["n": 2])
        let (ra, rb) = try await (a, b)
        #expect(ra == ["method": "workspace/applyEdit", "echo": ["n": 1]])
        #expect(rb == ["method": "window/showDocument", "echo": ["n": 2]])
    }
}
