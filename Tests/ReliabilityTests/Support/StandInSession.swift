import BackendStandIn
import Foundation
import JSON
import Synchronization
import Testing

/// The real binary (`RawServer`) configured for an in-process `StandInBackend`, with one Python
/// document open, running `selfmoa.explain` by id.
final class StandInSession: Sendable {
    let standIn: StandInBackend
    let server: RawServer
    private let counter = Mutex(0)

    static let uri = "file:///faults/geo.py"
    static let text = "def area(r):\n    return 3.14159 * r * r\n\ndef total(xs):\n    t = 0\n    for x in xs:\n        t = x\n    return t\n"

    /// Starts the stand-in with `faults`, then the binary with `settings` merged over a backend
    /// at the stand-in (the members of `backend` one by one), three samples and a fixed seed
    /// (proposal k of explain uses seed 100 + k).
    init(
        faults: [StandInFault] = [], requiredAPIKey: String? = nil, settings: [String: JSONValue] = [:],
        arguments: [String] = ["--log-level", "debug"], environment: [String: String] = [:]
    ) async throws {
        standIn = StandInBackend(faults: faults, requiredAPIKey: requiredAPIKey)
        try await standIn.start()
        server = try RawServer(arguments: arguments, environment: environment)
        var options: [String: JSONValue] = [
            "backend": ["url": .string(standIn.url), "firstTokenTimeout": 2, "totalTimeout": 8],
            "samples": 3,
            // These tests are about a backend failing under a synthesis: explain synthesises here.
            "explain": ["answer": "synthesis"],
            "experimental": ["explain": ["seed": 100]],
        ]
        for (key, value) in settings {
            if key == "backend", case .object(var backend)? = options["backend"], case .object(let more) = value {
                for (name, setting) in more { backend[name] = setting }
                options["backend"] = .object(backend)
            } else {
                options[key] = value
            }
        }
        server.request("init", "initialize", [
            "processId": .null, "rootUri": .null, "capabilities": [:], "initializationOptions": .object(options),
        ])
        let reply = try await server.reply(to: "init")
        #expect(reply["result"]?["capabilities"] != nil, "initialize failed: \(reply.serialized())")
        server.notify("initialized", [:])
        server.notify("textDocument/didOpen", ["textDocument": [
            "uri": .string(Self.uri), "languageId": "python", "version": 1, "text": .string(Self.text)]])
    }

    /// Sends `selfmoa.explain` on lines 0–2 and returns its id.
    func sendExplain() -> JSONValue {
        let id = JSONValue.string("explain-\(counter.withLock { $0 += 1; return $0 })")
        server.request(id, "workspace/executeCommand", [
            "command": "selfmoa.explain",
            "arguments": [[
                "textDocument": ["uri": .string(Self.uri), "version": 1],
                "range": ["start": ["line": 0, "character": 0], "end": ["line": 2, "character": 0]],
            ]],
        ])
        return id
    }

    /// Runs `selfmoa.explain` and returns its one reply (a hang fails after `timeout` seconds).
    func explain(timeout: Double = 60) async throws -> JSONValue {
        let id = sendExplain()
        let reply = try await server.reply(to: id, timeout: timeout)
        #expect(server.replies[id]?.count == 1)
        return reply
    }

    /// Generation requests that are not one-token capability probes.
    var generations: [StandInRequest] {
        standIn.generationRequests.filter { ($0.body?["max_tokens"]?.intValue ?? $0.body?["n_predict"]?.intValue ?? 2) > 1 }
    }

    /// Open descriptors of the server process.
    var openDescriptors: Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(server.process.processIdentifier)/fd").count) ?? -1
    }

    /// Shuts the server down (exit code 0, stdout only frames) and stops the stand-in.
    func finish(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        server.request("bye", "shutdown")
        #expect(try await server.reply(to: "bye")["result"] == .null, sourceLocation: sourceLocation)
        server.notify("exit")
        #expect(try await server.waitForExit() == 0, sourceLocation: sourceLocation)
        for _ in 0..<200 where !server.stdoutClosed { try await Task.sleep(for: .milliseconds(10)) }
        #expect(server.garbage == [], sourceLocation: sourceLocation)
        await standIn.stop()
    }
}
