import Foundation
import JSON
import JSONRPC
import LSPTestSupport
import Testing

/// Each action once through the real binary against the real embedded default: the managed
/// `llama-server` running Qwen2.5-Coder-0.5B (set up by `make setup`). Answers come from a real
/// model, so the assertions are about behaviour a user relies on, not exact wording: the
/// explanation names the function, the review arrives as diagnostics, completed code is
/// inserted with a versioned edit, and the managed server is gone after exit.
@Suite(.serialized, .timeLimit(.minutes(15))) struct EmbeddedModelSessionTests {
    static let source = """
        def fibonacci(n):
            a, b = 0, 1
            for _ in range(n):
                a, b = b, a + b
            return a


        def is_even(n):
            \n
        """

    /// The binary, once `model` is in the per-user cache (`setup` installs it).
    static func start(_ model: String, setup: String) throws -> BinaryServer {
        let cache = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"] ?? (NSHomeDirectory() + "/.cache")
        let marker = cache + "/selfmoa-lsp/models/\(model).verified"
        #expect(FileManager.default.fileExists(atPath: marker), "\(model) is not set up: run `\(setup)`")
        return try BinaryServer(arguments: ["--log-level", "debug"])
    }

    @Test func explainReviewAndCompleteOnTheEmbeddedModel() async throws {
        let server = try Self.start("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf", setup: "make setup")
        let settings: JSONValue = [
            "seed": 7,
            "explain": ["samples": 2, "maxTokens": 160],
            "ask": ["samples": 2, "maxTokens": 120],
            "review": ["samples": 2, "maxTokens": 160],
            "experimental": [
                "explain": ["answerMaxTokens": 200], "ask": ["answerMaxTokens": 160], "review": ["answerMaxTokens": 200],
                "complete": ["answerMaxTokens": 64]],
            "complete": ["samples": 2, "maxTokens": 64],
        ]
        _ = try await server.client.request("initialize", ["capabilities": ClientProfiles.full, "initializationOptions": settings])
        server.client.notify("initialized", [:])
        server.client.notify("textDocument/didOpen", ["textDocument": [
            "uri": "file:///tmp/numbers.py", "languageId": "python", "version": 1, "text": .string(Self.source)]])
        func arguments(_ start: Int, _ end: Int, character: Int = 0) -> JSONValue {
            [["textDocument": ["uri": "file:///tmp/numbers.py", "version": 1],
              "range": ["start": ["line": .int(Int64(start)), "character": .int(Int64(character))],
                        "end": ["line": .int(Int64(end)), "character": .int(Int64(character))]]]]
        }

        let explain = try await server.client.request("workspace/executeCommand", ["command": "selfmoa.explain", "arguments": arguments(0, 5)])
        let markdown = explain["markdown"]?.stringValue ?? ""
        #expect(markdown.lowercased().contains("fibonacci"), "explanation: \(markdown)")
        #expect(explain["stats"]?["samples"] == 2)
        // explain chooses the central sound candidate: no aggregation pass, no degenerate answer.
        #expect(explain["stats"]?["decidedByCentrality"] == true, "\(explain)")
        // Two proposals, and a round trip for each sound one (the code rebuilt from it, to rank them).
        let roundTrips = explain["stats"]?["roundTrips"]?.intValue ?? -1
        #expect((0...2).contains(roundTrips), "\(explain)")
        #expect(explain["stats"]?["forwardPasses"]?.intValue == 2 + roundTrips)
        #expect((explain["stats"]?["prefilledTokens"]?.intValue ?? 0) > 0)
        // The draft (the greedy proposal) streamed before the answer; the user waited for the
        // first text far less than for the whole answer.
        let explained = server.client.notifications.filter { $0.method == "selfmoa/result" }.compactMap(\.params)
        #expect(explained.first?["phase"] == "draft")
        #expect(explained.last?["partial"] == nil)
        let firstText = explain["stats"]?["firstTextSeconds"]?.doubleValue ?? .infinity
        #expect(firstText < (explain["stats"]?["totalSeconds"]?.doubleValue ?? 0))

        let question = "What does fibonacci(0) return?"
        var asked = arguments(0, 5)
        if case .array(var list) = asked, case .object(var argument) = list[0] {
            argument["question"] = .string(question)
            list[0] = .object(argument)
            asked = .array(list)
        }
        let ask = try await server.client.request("workspace/executeCommand", ["command": "selfmoa.ask", "arguments": asked])
        let answer = ask["markdown"]?.stringValue ?? ""
        #expect(!answer.isEmpty)
        #expect(ask["question"] == .string(question))
        #expect(ask["stats"]?["samples"] == 2)
        let answered = try await server.client.waitForNotification("selfmoa/result") { $0?["kind"] == "ask" && $0?["partial"] == nil }
        #expect(answered?["markdown"] == .string(answer))

        let review = try await server.client.request("workspace/executeCommand", ["command": "selfmoa.review", "arguments": arguments(0, 5)])
        #expect(review["findings"]?.arrayValue != nil)
        // The repair check asked for repairs of `fibonacci`, the one function in the range.
        #expect(review["stats"]?["repairChecks"] == 1)
        let reviewMarkdown = review["markdown"]?.stringValue ?? ""
        #expect(reviewMarkdown.isEmpty == false)
        _ = try await server.client.waitForNotification("textDocument/publishDiagnostics")

        let complete = try await server.client.request("workspace/executeCommand", ["command": "selfmoa.complete", "arguments": arguments(8, 8, character: 4)])
        let code = complete["code"]?.stringValue ?? ""
        let trimmedCode = code.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(trimmedCode.isEmpty == false)
        #expect(complete["applied"] == true)
        let edit = server.client.serverRequests.first { $0.method == "workspace/applyEdit" }?.params
        #expect(edit?["edit"]?["documentChanges"]?.arrayValue?.first?["textDocument"]?["version"] == 1)

        _ = try await server.client.request("shutdown")
        server.client.notify("exit")
        #expect(try await server.waitForExit(timeout: 60) == 0)
        #expect(framesOnly(server.rawStdout.contents) != nil)

        // The managed llama-server the session started is gone with it.
        let log = server.stderrLog.text
        let readyLine = log.split(separator: "\n").first { $0.contains("llama-server ready") }
        let pid = readyLine.flatMap { line in line.firstRange(of: /pid=(\d+)/).map { Int32(line[$0].dropFirst(4))! } }
        #expect(pid != nil, "no 'llama-server ready' line in the log")
        if let pid {
            let deadline = ContinuousClock.now + .seconds(15)
            while kill(pid, 0) == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
            #expect(kill(pid, 0) != 0, "llama-server \(pid) outlived selfmoa-lsp")
        }
    }

    /// `aggregatorModel: "qwen2.5-coder-1.5b"` (installed by `make setup-1.5b`): the 0.5B samples,
    /// the 1.5B writes the answer on a second managed server, and both servers end with the session.
    @Test func theLargerModelAggregatesOnASecondServer() async throws {
        let server = try Self.start("qwen2.5-coder-1.5b-instruct-q4_k_m.gguf", setup: "make setup-1.5b")
        let settings: JSONValue = [
            "seed": 7,
            "complete": ["samples": 2, "maxTokens": 48, "checkSyntax": false],
            "experimental": ["complete": [
                "answerMaxTokens": 64, "aggregatorModel": "qwen2.5-coder-1.5b", "greedyProposal": false, "agreement": false,
                // The cursor starts an empty body: the whole-function ask is one greedy sample
                // unless its own mode says otherwise (no key changes another).
                "answer": "synthesis", "wholeFunctionMode": "selfmoa"]],
        ]
        _ = try await server.client.request("initialize", ["capabilities": ClientProfiles.full, "initializationOptions": settings])
        server.client.notify("initialized", [:])
        server.client.notify("textDocument/didOpen", ["textDocument": [
            "uri": "file:///tmp/numbers.py", "languageId": "python", "version": 1, "text": .string(Self.source)]])
        let arguments: JSONValue = [["textDocument": ["uri": "file:///tmp/numbers.py", "version": 1],
                                     "range": ["start": ["line": 8, "character": 4], "end": ["line": 8, "character": 4]]]]
        let complete = try await server.client.request("workspace/executeCommand", ["command": "selfmoa.complete", "arguments": arguments])
        let code = complete["code"]?.stringValue ?? ""
        #expect(!code.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty)
        #expect(complete["stats"]?["aggregated"] == true, "\(complete)")

        _ = try await server.client.request("shutdown")
        server.client.notify("exit")
        #expect(try await server.waitForExit(timeout: 60) == 0)

        // Two servers became ready, one running the 1.5B; both are gone.
        let ready = server.stderrLog.text.split(separator: "\n").filter { $0.contains("llama-server ready") }
        #expect(ready.count == 2, "ready lines: \(ready)")
        #expect(ready.contains { $0.contains("qwen2.5-coder-1.5b-instruct-q4_k_m.gguf") })
        let pids = ready.compactMap { line in line.firstRange(of: /pid=(\d+)/).map { Int32(line[$0].dropFirst(4))! } }
        #expect(Set(pids).count == 2)
        let deadline = ContinuousClock.now + .seconds(15)
        while pids.contains(where: { kill($0, 0) == 0 }) && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        #expect(!pids.contains { kill($0, 0) == 0 }, "a llama-server outlived selfmoa-lsp")
    }
}
