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
        #expect(explain["stats"]?["forwardPasses"] == 6)
        // The greedy draft streamed alone, the other proposals in one request with n = 2 (prefill
        // once), then one round trip per proposal; explain chooses among them. (Capability probes
        // ask for one token; they are not counted.)
        let generations = standIn.generationRequests.filter { ($0.body?["max_tokens"]?.intValue ?? 2) > 1 && ($0.body?["n_predict"]?.intValue ?? 2) > 1 }
        #expect(generations.count == 5)
        #expect(generations.first?.isStreaming == true)
        #expect(generations.first?.body?["temperature"]?.doubleValue == 0)
        #expect(generations.dropFirst().first?.body?["n"] == 2)
        let result = try await server.client.waitForNotification("selfmoa/result") { $0?["partial"] == nil }
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

    @Test func askStreamsTheDraftThenTheAnswerThroughTheBinary() async throws {
        var script = Self.script
        script.rules.insert(StandInRule(
            contains: "Answer this question", in: .any,
            answer: "`total` returns the last item, not the sum: `t = x` overwrites `t` (sample {index})."), at: 0)
        script.tokenDelay = .milliseconds(15)
        let standIn = StandInBackend(script: script)
        try await standIn.start()
        defer { Task { await standIn.stop() } }
        let server = try await start(standIn)
        var arguments = command("selfmoa.ask", range: (5, 9))
        if case .object(var outer) = arguments, case .array(var list) = outer["arguments"], case .object(var argument) = list[0] {
            argument["question"] = "Does total return the sum of xs?"
            list[0] = .object(argument)
            outer["arguments"] = .array(list)
            arguments = .object(outer)
        }
        let answer = try await server.client.request("workspace/executeCommand", arguments)
        #expect(answer["question"] == "Does total return the sum of xs?")
        #expect(answer["markdown"]?.stringValue?.contains("not the sum") == true)
        #expect((answer["stats"]?["firstTextSeconds"]?.doubleValue ?? .infinity) < (answer["stats"]?["totalSeconds"]?.doubleValue ?? 0))
        _ = try await server.client.waitForNotification("selfmoa/result") { $0?["partial"] == nil }
        let results = server.client.notifications.filter { $0.method == "selfmoa/result" }.compactMap(\.params)
        let phases = results.map { $0["phase"]?.stringValue ?? "final" }
        // Several draft updates as the slow stream arrives, then the answer, then the final result.
        #expect(phases.first == "draft")
        #expect(phases.filter { $0 == "draft" }.count >= 2)
        #expect(phases.last == "final")
        #expect(phases.firstIndex(of: "answer").map { $0 > phases.lastIndex(of: "draft")! } ?? true)
        // At most one partial result per 60 ms (and one at each phase change), however fast the
        // model streams.
        let seconds = answer["stats"]?["totalSeconds"]?.doubleValue ?? 0
        #expect(Double(results.count - 1) <= seconds / 0.06 + 4, "\(results.count - 1) partial results in \(seconds) s")
        let drafts = results.filter { $0["phase"] == "draft" }.compactMap { $0["markdown"]?.stringValue }
        #expect(zip(drafts, drafts.dropFirst()).allSatisfy { $1.hasPrefix($0) })
        #expect(results.first?["label"] == "draft · 1 of 3 samples")
        #expect(results.last?["label"] == "Self-MoA · 3 samples")
        #expect(results.allSatisfy { $0["question"] == "Does total return the sum of xs?" })

        // Bad questions: invalid params naming the key, and the server lives on.
        for question in [JSONValue.null, "", .string(String(repeating: "x", count: 4_001))] {
            var bad = command("selfmoa.ask", range: (5, 9))
            if case .object(var outer) = bad, case .array(var list) = outer["arguments"], case .object(var argument) = list[0] {
                argument["question"] = question
                list[0] = .object(argument)
                outer["arguments"] = .array(list)
                bad = .object(outer)
            }
            await #expect {
                _ = try await server.client.request("workspace/executeCommand", bad)
            } throws: { error in
                guard let error = error as? ResponseError else { return false }
                return error.code == ResponseError.invalidParamsCode && error.message.contains("question")
            }
        }
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
