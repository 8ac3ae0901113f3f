import Foundation
import JSON
import JSONRPC
import Logging
import LSPTestSupport
import ModelBackend
import Testing

/// The real binary against the real `llama-server` and model of the embedded default while a
/// second client keeps every slot busy, as a team's shared server often is: explain and review
/// are queued, say so, and finish with an answer or a clear error; the server keeps serving; and
/// nothing is left running. Loopback only, bounded in count (two busy requests, two actions) and
/// time (each busy request stops after 160 tokens).
@Suite(.serialized, .timeLimit(.minutes(10))) struct BusyBackendLoadTests {
    static let source = "def total(xs):\n    t = 0\n    for x in xs:\n        t = x\n    return t\n"

    /// A free loopback port.
    static func freePort() -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0 }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// `true` when `pid` no longer runs: gone, or a zombie waiting to be reaped.
    static func isDead(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        guard let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).hasPrefix("Z")
    }

    @Test func queuedActionsFinishAndNothingIsLeftRunning() async throws {
        let embedded = EmbeddedDefault.current
        try embedded.check()
        let port = Self.freePort()
        let url = "http://127.0.0.1:\(port)"
        // The embedded default's llama-server and model, with two slots (the managed server's
        // own runs with a random API key nobody else could use).
        let server = Process()
        server.executableURL = URL(fileURLWithPath: embedded.serverExecutable)
        server.arguments = [
            "-m", embedded.modelPath, "--host", "127.0.0.1", "--port", String(port), "-np", "2", "--kv-unified",
            "--kv-unified-per-slot", "2048", "-c", "4096", "--no-webui", "-t", "1", "-tb", "2",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["LD_LIBRARY_PATH"] = [embedded.binDirectory, environment["LD_LIBRARY_PATH"]].compactMap { $0 }.joined(separator: ":")
        server.environment = environment
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { if !Self.isDead(server.processIdentifier) { kill(server.processIdentifier, SIGKILL) } }

        // The second client, in process: waits for the model to load, then one long generation
        // per slot.
        let client = OpenAICompatibleModel(
            url: url, timeouts: .init(connect: .seconds(5), firstToken: .seconds(300), total: .seconds(600)),
            logger: Logger(label: "second-client"))
        var capabilities: ModelCapabilities?
        for _ in 0..<360 where capabilities == nil {
            do {
                capabilities = try await client.capabilities()
            } catch {
                try await Task.sleep(for: .milliseconds(500))  // still starting
            }
        }
        #expect(capabilities?.slots == 2, "llama-server did not come up")
        let story = ChatRequest(
            messages: [.user("Write a long story about a lighthouse keeper, in detail.")],
            options: SamplingOptions(temperature: 0.7, seed: 9, maxTokens: 160))
        let busy = (0..<2).map { _ in Task { try await client.complete(story) } }
        var filled = false
        for _ in 0..<300 where !filled {
            filled = await client.serverBusy()
            if !filled { try await Task.sleep(for: .milliseconds(200)) }
        }
        #expect(filled, "the second client did not fill every slot")

        // A first-token limit far below the queue's length: waiting must not count against it.
        let binary = try BinaryServer(arguments: ["--log-level", "debug"])
        let settings: JSONValue = [
            "backend": ["url": .string(url), "firstTokenTimeout": 5, "totalTimeout": 500],
            "seed": 3,
            "explain": ["samples": 2, "maxTokens": 48],
            "review": ["samples": 1, "maxTokens": 64, "repairCheck": false],
            "experimental": ["explain": ["answerMaxTokens": 64], "review": ["answerMaxTokens": 64]],
        ]
        _ = try await binary.client.request("initialize", ["capabilities": ClientProfiles.full, "initializationOptions": settings])
        binary.client.notify("initialized", [:])
        binary.client.notify("textDocument/didOpen", ["textDocument": [
            "uri": "file:///tmp/total.py", "languageId": "python", "version": 1, "text": .string(Self.source)]])
        let argument: JSONValue = [["textDocument": ["uri": "file:///tmp/total.py", "version": 1],
                                     "range": ["start": ["line": 0, "character": 0], "end": ["line": 4, "character": 0]]]]
        for command in ["selfmoa.explain", "selfmoa.review"] {
            do {
                let result = try await binary.client.request("workspace/executeCommand", ["command": .string(command), "arguments": argument])
                #expect(result["markdown"]?.stringValue?.isEmpty == false, "\(command): \(result.serialized())")
            } catch let error as ResponseError {
                // A clear error is acceptable under load; a silent hang or a crash is not.
                #expect(error.code == ResponseError.requestFailedCode && error.message.contains(url), "\(command): \(error.message)")
            }
        }
        #expect(binary.stderrLog.text.contains("waiting for the model server"), "the queue was never reported")

        // The second client got its answers, the server kept serving, and all stop cleanly.
        for request in busy {
            let answers = try await request.value
            #expect(answers.first?.text.isEmpty == false)
        }
        #expect(try await client.complete(ChatRequest(messages: [.user("Say OK.")], options: SamplingOptions(temperature: 0, maxTokens: 2))).count == 1)
        _ = try await binary.client.request("shutdown")
        binary.client.notify("exit")
        #expect(try await binary.waitForExit(timeout: 60) == 0)
        // The test's own server: asked to stop, then killed if the second client's idle
        // keep-alive connections hold it up.
        server.terminate()
        var gone = false
        for attempt in 0..<150 where !gone {
            if attempt == 100 { kill(server.processIdentifier, SIGKILL) }
            gone = Self.isDead(server.processIdentifier)
            if !gone { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(gone, "llama-server outlived the test")
        #expect(kill(binary.process.processIdentifier, 0) != 0)
    }
}
