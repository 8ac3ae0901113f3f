import Foundation
import JSON
import LSPTestSupport
import Testing

/// The managed `llama-server` as the real binary runs it in stdio mode, with the stand-in
/// posing as llama-server in a fake cache (`FakeEmbeddedCache`): one server per session, on
/// 127.0.0.1 with a random key that shows nowhere, gone when we are (SIGTERM or SIGKILL),
/// restarted once after a crash mid-request with the error reported, and its own output never
/// on our stdout. `ModelBackendTests/Managed` tests the same machinery in-process.
@Suite(.serialized, .timeLimit(.minutes(3))) struct ManagedBackendSafetyTests {
    static let uri = "file:///managed/a.py"

    /// The binary on `cache`, initialised with two samples and one document open.
    static func start(_ cache: FakeEmbeddedCache) async throws -> RawServer {
        let server = try RawServer(arguments: ["--log-level", "trace"], environment: ["XDG_CACHE_HOME": cache.root])
        server.request("init", "initialize", [
            "processId": .null, "rootUri": .null, "capabilities": [:], "initializationOptions": ["samples": 2],
        ])
        #expect(try await server.reply(to: "init")["result"] != nil)
        server.notify("initialized", [:])
        server.notify("textDocument/didOpen", ["textDocument": [
            "uri": .string(uri), "languageId": "python", "version": 1, "text": "def one():\n    return 1\n"]])
        return server
    }

    static func explain(_ server: RawServer, id: String) {
        server.request(.string(id), "workspace/executeCommand", [
            "command": "selfmoa.explain",
            "arguments": [["textDocument": ["uri": .string(uri), "version": 1],
                           "range": ["start": ["line": 0, "character": 0], "end": ["line": 1, "character": 0]]]],
        ])
    }

    static func shutdown(_ server: RawServer) async throws {
        server.request("bye", "shutdown")
        #expect(try await server.reply(to: "bye")["result"] == .null)
        server.notify("exit")
        #expect(try await server.waitForExit() == 0)
        for _ in 0..<200 where !server.stdoutClosed { try await Task.sleep(for: .milliseconds(10)) }
    }

    @Test func oneLocalServerPerSessionWithARandomKeyThatShowsNowhere() async throws {
        let cache = try FakeEmbeddedCache()
        defer { cache.remove() }
        let first = try await Self.start(cache)
        // Three commands before any server exists share one start.
        for index in 0..<3 { Self.explain(first, id: "e\(index)") }
        for index in 0..<3 {
            let reply = try await first.reply(to: .string("e\(index)"), timeout: 60)
            #expect(reply["result"]?["stats"]?["samples"] == 2, "\(reply.serialized())")
        }
        #expect(cache.pids.count == 1, "servers started: \(cache.pids)")
        let pid = try #require(cache.pids.first)

        let arguments = FakeEmbeddedCache.commandLine(of: pid)
        let host = arguments.firstIndex(of: "--host").map { arguments[$0 + 1] }
        #expect(host == "127.0.0.1", "\(arguments)")
        let key = try #require(FakeEmbeddedCache.environment(of: pid)["LLAMA_API_KEY"])
        #expect(key.count >= 32)
        #expect(!arguments.joined(separator: " ").contains(key))

        // A second session gets its own server with another key.
        let second = try await Self.start(cache)
        Self.explain(second, id: "other")
        #expect(try await second.reply(to: "other", timeout: 60)["result"] != nil)
        #expect(cache.pids.count == 2)
        let otherKey = FakeEmbeddedCache.environment(of: cache.pids[1])["LLAMA_API_KEY"]
        #expect(otherKey != nil && otherKey != key)

        try await Self.shutdown(first)
        try await Self.shutdown(second)
        #expect(await FakeEmbeddedCache.eventually { cache.pids.allSatisfy(FakeEmbeddedCache.isDead) })
        for server in [first, second] {
            // The server printed on its stdout; ours carried protocol frames only.
            #expect(server.garbage == [])
            #expect(!server.stderr.text.contains(key))
            #expect(otherKey.map { !server.stderr.text.contains($0) } ?? true)
            let frames = server.frames.map { $0.serialized() }.joined()
            #expect(!frames.contains(key) && !frames.contains(FakeEmbeddedCache.stdoutNoise))
        }
    }

    @Test(arguments: [SIGTERM, SIGKILL])
    func theServerDiesWithUs(signal: Int32) async throws {
        let cache = try FakeEmbeddedCache()
        defer { cache.remove() }
        let server = try await Self.start(cache)
        Self.explain(server, id: "warm")
        #expect(try await server.reply(to: "warm", timeout: 60)["result"] != nil)
        let pid = try #require(cache.pids.first)
        #expect(!FakeEmbeddedCache.isDead(pid))
        kill(server.process.processIdentifier, signal)
        _ = try await server.waitForExit()
        #expect(await FakeEmbeddedCache.eventually { FakeEmbeddedCache.isDead(pid) }, "llama-server \(pid) outlived selfmoa-lsp killed with \(signal)")
        #expect(cache.pids.count == 1)
    }

    @Test func aCrashMidRequestIsReportedAndTheServerRestartsOnce() async throws {
        // Generation calls 1 and 2 are the capability probes; call 3 (the proposals) crashes, once.
        let marker = NSTemporaryDirectory() + "selfmoa-crashed-\(UUID().uuidString)"
        let cache = try FakeEmbeddedCache(extraArguments: ["--crash-on-call", "3", "--crash-marker", marker])
        defer {
            cache.remove()
            try? FileManager.default.removeItem(atPath: marker)
        }
        let server = try await Self.start(cache)
        Self.explain(server, id: "crash")
        let crash = try await server.reply(to: "crash", timeout: 60)
        // The streamed draft is a request of its own: when it was answered before the crash, it
        // answers (the crashed proposal is dropped); otherwise the error says what happened.
        if let error = crash["error"] {
            #expect(error["code"] == -32803, "\(crash.serialized())")
            #expect(error["message"]?.stringValue?.contains("restarts on the next request") == true, "\(crash.serialized())")
        } else {
            #expect(crash["result"]?["stats"]?["failedSamples"] == 1, "\(crash.serialized())")
        }
        let first = try #require(cache.pids.first)
        #expect(await FakeEmbeddedCache.eventually { FakeEmbeddedCache.isDead(first) })

        Self.explain(server, id: "again")
        let again = try await server.reply(to: "again", timeout: 60)
        #expect(again["result"]?["stats"]?["samples"] == 2, "\(again.serialized())")
        #expect(cache.pids.count == 2)
        #expect(server.replies["crash"]?.count == 1 && server.replies["again"]?.count == 1)
        try await Self.shutdown(server)
        #expect(await FakeEmbeddedCache.eventually { cache.pids.allSatisfy(FakeEmbeddedCache.isDead) })
        #expect(server.garbage == [])
    }
}
