import BackendStandIn
import Foundation
import JSON
import JSONRPC
import LSPTestSupport
import Testing

/// The real binary over real pipes against a local stand-in OpenAI-compatible backend: every
/// command end to end, and a dead backend giving an actionable error instead of a hang.
@Suite(.serialized) struct StandInBackendSessionTests {
    static let source = "import math\n\ndef area(r):\n    return math.pi * r * r\n\ndef total(xs):\n    t = 0\n    for x in xs:\n        t = x\n    return t\n"

    static let script = StandInScript(rules: [
        StandInRule(contains: "careful code reviewer", in: .system, answer: "L9 error: t is overwritten instead of summed\n```\n        t += x\n```"),
        StandInRule(contains: "<CURSOR>", in: .any, answer: "```python\n    return sum(xs)\n```"),
        StandInRule(contains: "Explain", in: .any, answer: "`area` returns the area of a circle of radius r (sample {index})."),
    ])

    private func start(_ standIn: StandInBackend, extraOptions: [String: JSONValue] = [:]) async throws -> BinaryServer {
        let server = try BinaryServer(arguments: ["--log-level", "debug"])
        var options: [String: JSONValue] = ["backend": ["url": .string(standIn.url)], "samples": 3]
        for (key, value) in extraOptions { options[key] = value }
        _ = try await server.client.request("initialize", [
            "capabilities": ClientProfiles.full, "initializationOptions": .object(options),
        ])
        server.client.notify("initialized", [:])
        server.client.notify("textDocument/didOpen", ["textDocument": [
            "uri": "file:///tmp/geo.py", "languageId": "python", "version": 1, "text": .string(Self.source)]])
        return server
    }

    private func command(_ name: String, range: (Int, Int)?) -> JSONValue {
        var argument: [String: JSONValue] = ["textDocument": ["uri": "file:///tmp/geo.py", "version": 1]]
        if let range {
            argument["range"] = ["start": ["line": .int(Int64(range.0)), "character": 0], "end": ["line": .int(Int64(range.1)), "character": 0]]
        }
        return ["command": .string(name), "arguments": [.object(argument)]]
    }

    @Test func explainReviewAndCompleteThroughTheBinary() async throws {
        let standIn = StandInBackend(script: Self.script)
        try await standIn.start()
        defer { Task { await standIn.stop() } }
        let server = try await start(standIn)

        let explain = try await server.client.request("workspace/executeCommand", command("selfmoa.explain", range: (2, 4)))
        #expect(explain["markdown"]?.stringValue?.contains("area of a circle") == true)
        #expect(explain["stats"]?["forwardPasses"] == 4)
        // One proposal request with n = 3 (prefill once), then one streamed aggregation.
        // (Capability probes ask for one token; they are not counted.)
        let generations = standIn.generationRequests.filter { ($0.body?["max_tokens"]?.intValue ?? 2) > 1 && ($0.body?["n_predict"]?.intValue ?? 2) > 1 }
        #expect(generations.count == 2)
        #expect(generations.first?.body?["n"] == 3)
        #expect(generations.last?.isStreaming == true)
        let result = try await server.client.waitForNotification("selfmoa/result")
        #expect(result?["kind"] == "explain")

        let review = try await server.client.request("workspace/executeCommand", command("selfmoa.review", range: nil))
        #expect(review["findings"]?.arrayValue?.first?["range"]?["start"]?["line"] == 8)
        let diagnostics = try await server.client.waitForNotification("textDocument/publishDiagnostics")
        #expect(diagnostics?["diagnostics"]?.arrayValue?.first?["source"] == "selfmoa")

        let complete = try await server.client.request("workspace/executeCommand", command("selfmoa.complete", range: (9, 9)))
        #expect(complete["applied"] == true)
        let edit = server.client.serverRequests.first { $0.method == "workspace/applyEdit" }?.params
        #expect(edit?["edit"]?["documentChanges"]?.arrayValue?.first?["textDocument"]?["version"] == 1)

        _ = try await server.client.request("shutdown")
        server.client.notify("exit")
        #expect(try await server.waitForExit() == 0)
        #expect(framesOnly(server.rawStdout.contents) != nil)
    }

    @Test func deadBackendGivesAnActionableErrorNotAHang() async throws {
        let standIn = StandInBackend(script: Self.script, faults: [.down])
        try await standIn.start()
        defer { Task { await standIn.stop() } }
        let server = try await start(standIn, extraOptions: ["backend": ["url": .string(standIn.url), "firstTokenTimeout": 5, "totalTimeout": 10]])
        let started = ContinuousClock.now
        await #expect {
            _ = try await server.client.request("workspace/executeCommand", command("selfmoa.explain", range: (2, 4)))
        } throws: { error in
            guard let error = error as? ResponseError else { return false }
            return error.code == ResponseError.requestFailedCode && error.message.contains(standIn.url)
        }
        #expect(ContinuousClock.now - started < .seconds(30))
        let shown = try await server.client.waitForNotification("window/showMessage")
        #expect(shown?["type"] == 1)
        // Still serving.
        _ = try await server.client.request("shutdown")
    }

    @Test func unauthorizedNamesTheVariableNotTheKey() async throws {
        let standIn = StandInBackend(script: Self.script, requiredAPIKey: "right-key")
        try await standIn.start()
        defer { Task { await standIn.stop() } }
        let server = try BinaryServer(arguments: ["--api-key-env", "SELFMOA_TEST_KEY"], environment: ["SELFMOA_TEST_KEY": "wrong-key-12345"])
        _ = try await server.client.request("initialize", [
            "capabilities": ClientProfiles.full, "initializationOptions": ["backend": ["url": .string(standIn.url)], "samples": 2],
        ])
        server.client.notify("textDocument/didOpen", ["textDocument": [
            "uri": "file:///tmp/geo.py", "languageId": "python", "version": 1, "text": .string(Self.source)]])
        await #expect {
            _ = try await server.client.request("workspace/executeCommand", command("selfmoa.explain", range: (2, 4)))
        } throws: { error in
            guard let error = error as? ResponseError else { return false }
            return error.message.contains("SELFMOA_TEST_KEY") && !error.message.contains("wrong-key-12345")
        }
        _ = try await server.client.request("shutdown")
        server.client.notify("exit")
        _ = try await server.waitForExit()
        #expect(!server.stderrLog.text.contains("wrong-key-12345"))
        #expect(!server.rawStdout.text.contains("wrong-key-12345"))
    }
}
