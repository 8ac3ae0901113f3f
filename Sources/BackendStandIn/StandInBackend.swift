import JSON
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// An in-process stand-in for an OpenAI-compatible model server, on 127.0.0.1.
///
/// `BackendStandIn` owns this test double: it speaks enough of llama.cpp's server —
/// `/v1/chat/completions` (plain and SSE streaming, with `n`), `/health`, `/props`,
/// `/v1/models`, `/tokenize`, `/infill` — to exercise clients without a model. Answers are
/// deterministic and scripted (`StandInScript`): rules "if the text contains X, answer Y", else
/// a default that depends on the seed so samples differ. Every request is recorded for
/// assertions, and `StandInFault`s make it misbehave on purpose: refuse connections or hang up
/// on them, 401, 404, 500, answer slowly, drop the connection mid-stream, send garbage, ignore
/// `n`, overflow the context, fail some calls, or lack llama.cpp's extras.
///
/// The `selfmoa-standin-backend` executable serves one of these for tests that run real
/// binaries (editor integrations, the language server over stdio).
public final class StandInBackend: Sendable {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
    typealias Listener = NIOAsyncChannel<Connection, Never>

    struct State {
        var script: StandInScript
        var faults: [StandInFault]
        var requiredAPIKey: String?
        var requests: [StandInRequest] = []
        var generationCalls = 0
        var lastPrompt: [Int] = []
        /// When it started listening, or its faults were last set (`busyFor` counts from it).
        var started = ContinuousClock.now
    }

    struct Runtime {
        var listener: Listener?
        var serving: [Task<Void, Never>] = []
        var port: Int?
        var connections: [ObjectIdentifier: any Channel] = [:]
        var stopped = false
    }

    let state: NIOLockedValueBox<State>
    let runtime = NIOLockedValueBox(Runtime())
    let onGenerationCall: (@Sendable (Int) -> Void)?

    /// - Parameters:
    ///   - script: what to answer.
    ///   - faults: misbehaviour from the start.
    ///   - requiredAPIKey: when set, every endpoint but `/health` wants `Authorization: Bearer <key>`.
    ///   - onGenerationCall: called with the 1-based number of each chat or infill request.
    public init(
        script: StandInScript = StandInScript(),
        faults: [StandInFault] = [],
        requiredAPIKey: String? = nil,
        onGenerationCall: (@Sendable (Int) -> Void)? = nil
    ) {
        self.state = NIOLockedValueBox(State(script: script, faults: faults, requiredAPIKey: requiredAPIKey))
        self.onGenerationCall = onGenerationCall
    }

    // MARK: Lifecycle

    /// Starts listening on 127.0.0.1 at `port` (0 picks a free one) and returns the port. With
    /// the `.down` fault the port is reserved but refuses connections.
    @discardableResult
    public func start(port: Int = 0) async throws -> Int {
        if faults.contains(.down) {
            // Take a port, then refuse connections on it.
            let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .childChannelInitializer { $0.close() }
                .bind(host: "127.0.0.1", port: port)
                .get()
            let bound = channel.localAddress?.port ?? port
            runtime.withLockedValue { $0.port = bound }
            try? await channel.close()
            return bound
        }
        let listener = try await bind(port: port)
        state.withLockedValue { $0.started = .now }
        let bound = listener.channel.localAddress?.port ?? port
        runtime.withLockedValue { $0.port = bound }
        serve(listener)
        return bound
    }

    /// The port, once started.
    public var port: Int { runtime.withLockedValue { $0.port } ?? 0 }

    /// `http://127.0.0.1:<port>`.
    public var url: String { "http://127.0.0.1:\(port)" }

    /// Stops listening and closes every connection.
    public func stop() async {
        let (listener, connections, serving) = runtime.withLockedValue { runtime in
            runtime.stopped = true
            defer {
                runtime.listener = nil
                runtime.serving = []
            }
            return (runtime.listener, Array(runtime.connections.values), runtime.serving)
        }
        try? await listener?.channel.close()
        for connection in connections { try? await connection.close() }
        for task in serving { await task.value }
    }

    private func bind(port: Int) async throws -> Listener {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: false)
            .bind(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
    }

    private func serve(_ listener: Listener) {
        let task = Task<Void, Never> {
            var connections: [Task<Void, Never>] = []
            try? await listener.executeThenClose { inbound in
                for try await connection in inbound {
                    connections.append(Task { await self.serve(connection: connection) })
                }
            }
            for connection in connections { await connection.value }
        }
        runtime.withLockedValue { runtime in
            runtime.listener = listener
            runtime.serving.append(task)
        }
    }

    // MARK: Control

    /// The faults now in effect.
    public var faults: [StandInFault] { state.withLockedValue { $0.faults } }

    /// Replaces the faults. Adding `.down` stops listening (connections are refused) and closes
    /// the open connections, like a server that died; removing it listens again on the same
    /// port. Adding `.hangUp` closes the open connections too, so that every later request
    /// meets the fault.
    public func setFaults(_ faults: [StandInFault]) async throws {
        let (wasDown, wasHangingUp) = state.withLockedValue { state in
            defer {
                state.faults = faults
                state.started = .now
            }
            return (state.faults.contains(.down), state.faults.contains(.hangUp))
        }
        let isDown = faults.contains(.down)
        if isDown && !wasDown {
            let listener = runtime.withLockedValue { runtime in
                defer { runtime.listener = nil }
                return runtime.listener
            }
            try? await listener?.channel.close()
        } else if wasDown && !isDown, let port = runtime.withLockedValue({ $0.stopped ? nil : $0.port }) {
            serve(try await bind(port: port))
        }
        if (isDown && !wasDown) || (faults.contains(.hangUp) && !wasHangingUp) {
            let open = runtime.withLockedValue { Array($0.connections.values) }
            for connection in open { try? await connection.close() }
        }
    }

    /// Changes the script.
    public func updateScript(_ change: @Sendable (inout StandInScript) -> Void) {
        state.withLockedValue { change(&$0.script) }
    }

    /// The script now in effect.
    public var script: StandInScript { state.withLockedValue { $0.script } }

    /// Every request received so far, oldest first.
    public var requests: [StandInRequest] { state.withLockedValue { $0.requests } }

    /// The requests to `path`.
    public func requests(to path: String) -> [StandInRequest] {
        requests.filter { $0.path == path }
    }

    /// Chat and infill requests, oldest first.
    public var generationRequests: [StandInRequest] {
        requests.filter { $0.path == "/v1/chat/completions" || $0.path == "/infill" }
    }

    /// Forgets the recorded requests (call numbers keep counting).
    public func clearRequests() {
        state.withLockedValue { $0.requests.removeAll() }
    }

    /// Number of connections open now.
    public var openConnections: Int { runtime.withLockedValue { $0.connections.count } }

    // MARK: Connections

    private func serve(connection: Connection) async {
        let channel = connection.channel
        if faults.contains(.hangUp) {
            try? await channel.close()
            return
        }
        let id = ObjectIdentifier(channel)
        runtime.withLockedValue { $0.connections[id] = channel }
        defer { _ = runtime.withLockedValue { $0.connections.removeValue(forKey: id) } }
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            var body: [UInt8] = []
            for try await part in inbound {
                switch part {
                case .head(let received):
                    head = received
                    body = []
                case .body(let buffer):
                    body += buffer.readableBytesView
                case .end:
                    guard let request = head else { return }
                    let exchange = Exchange(channel: channel, outbound: outbound, keepAlive: request.isKeepAlive)
                    let recorded = record(request, body: body)
                    let outcome = await respond(to: recorded, exchange: exchange)
                    state.withLockedValue { state in
                        if let position = state.requests.firstIndex(where: { $0.number == recorded.number }) {
                            state.requests[position].completed = outcome == .completed
                            state.requests[position].abandoned = outcome == .clientGone
                        }
                    }
                    if outcome != .completed || !request.isKeepAlive { return }
                }
            }
        }
    }

    private func record(_ head: HTTPRequestHead, body: [UInt8]) -> StandInRequest {
        var headers: [String: String] = [:]
        for (name, value) in head.headers { headers[name.lowercased()] = value }
        let path = String(head.uri.split(separator: "?", maxSplits: 1).first ?? "")
        return state.withLockedValue { state in
            let request = StandInRequest(
                number: state.requests.count + 1,
                method: head.method.rawValue,
                path: path,
                headers: headers,
                body: body.isEmpty ? nil : try? JSONValue.parse(body),
                rawBody: body
            )
            state.requests.append(request)
            return request
        }
    }
}

/// How answering one request ended.
enum Outcome: Sendable, Hashable {
    case completed
    /// The client closed the connection first.
    case clientGone
    /// The stand-in closed it on purpose (a fault).
    case dropped
}

/// Writing one response on a connection.
struct Exchange: Sendable {
    let channel: any Channel
    let outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    let keepAlive: Bool

    /// The whole response at once. Returns `false` when the client is gone.
    func send(status: HTTPResponseStatus, contentType: String, body: [UInt8]) async -> Bool {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        do {
            try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers)))
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
            try await outbound.write(.end(nil))
            return true
        } catch {
            return false
        }
    }

    func send(status: HTTPResponseStatus, json: JSONValue) async -> Bool {
        await send(status: status, contentType: "application/json; charset=utf-8", body: json.serializedBytes())
    }

    /// The head of a chunked response; with `contentLength` a fixed-length one instead.
    func beginBody(status: HTTPResponseStatus, contentType: String, contentLength: Int? = nil) async -> Bool {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        if let contentLength { headers.add(name: "Content-Length", value: String(contentLength)) }
        headers.add(name: "Cache-Control", value: "no-cache")
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        do {
            try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers)))
            return true
        } catch {
            return false
        }
    }

    func write(_ bytes: [UInt8]) async -> Bool {
        guard channel.isActive else { return false }
        do {
            try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: bytes))))
            return true
        } catch {
            return false
        }
    }

    func end() async -> Bool {
        do {
            try await outbound.write(.end(nil))
            return true
        } catch {
            return false
        }
    }

    /// Closes the connection abruptly.
    func drop() async {
        try? await channel.close()
    }

    /// Waits `duration`, noticing when the client goes away; returns `false` then.
    func pause(_ duration: Duration) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + duration
        while clock.now < deadline {
            guard channel.isActive else { return false }
            let step = min(Duration.milliseconds(10), deadline - clock.now)
            try? await Task.sleep(for: step)
        }
        return channel.isActive
    }
}
