import JSON
import JSONRPC
import LanguageServer
import LSPTestSupport
import ModelBackend
import Testing

/// `selfmoa.ask`, and the streamed `selfmoa/result` of the prose actions, in process.
@Suite struct AskAndStreamingTests {
    static let source = """
        def average(values):
            total = 0
            for value in values:
                total += value
            return total / len(values)
        """

    /// Answers questions with a sentence naming the sample, everything else with an explanation.
    static let script: ScriptedModel.Script = { messages, index in
        let text = ChatMessage.joined(messages)
        if text.contains("Candidate answers:") { return "It raises `ZeroDivisionError` on an empty list (synthesis)." }
        if text.contains("Answer this question") { return "Division by zero when `values` is empty (sample \(index))." }
        return "`average` returns the mean (sample \(index))."
    }

    static var askingClient: JSONValue {
        guard case .object(var capabilities) = ClientProfiles.full else { return ClientProfiles.full }
        capabilities["experimental"] = ["selfmoa": ["results": true, "ask": true]]
        return .object(capabilities)
    }

    private func makeHarness(_ model: ScriptedModel, capabilities: JSONValue = AskAndStreamingTests.askingClient) async throws -> ServerHarness {
        let harness = ServerHarness { options in
            options.makeModel = { _, _ in ModelHandle(model: model) }
        }
        try await harness.initialize(capabilities: capabilities, options: ["samples": 3])
        harness.open("file:///w/average.py", Self.source)
        return harness
    }

    private func argument(question: JSONValue? = nil) -> JSONValue {
        var argument: [String: JSONValue] = [
            "textDocument": ["uri": "file:///w/average.py", "version": 1],
            "range": ["start": ["line": 0, "character": 0], "end": ["line": 4, "character": 0]],
        ]
        if let question { argument["question"] = question }
        return .object(argument)
    }

    private func results(_ harness: ServerHarness) -> [JSONValue] {
        harness.client.notifications.filter { $0.method == "selfmoa/result" }.compactMap(\.params)
    }

    @Test func explainStreamsTheDraftThenTheAnswerThenTheFinalResult() async throws {
        let model = ScriptedModel(script: Self.script)
        let harness = try await makeHarness(model)
        defer { harness.close() }
        let result = try await harness.client.request(
            "workspace/executeCommand", ["command": "selfmoa.explain", "arguments": [argument()]])
        _ = try await harness.client.waitForNotification("selfmoa/result") { $0?["partial"] == nil }
        let sent = results(harness)
        let final = try #require(sent.last)
        #expect(final["partial"] == nil)
        #expect(final["markdown"] == result["markdown"])
        #expect(final["label"] == "Self-MoA · 3 samples, the most typical chosen")
        #expect(final["stats"]?["firstTextSeconds"]?.doubleValue != nil)
        #expect(result["stats"]?["firstTextSeconds"]?.doubleValue != nil)
        let partials = sent.dropLast()
        // The draft (the greedy proposal, sample 0) comes first, then the answer's text.
        let first = try #require(partials.first)
        #expect(first["partial"] == true)
        #expect(first["phase"] == "draft")
        #expect(first["label"] == "draft · 1 of 3 samples")
        #expect(first["markdown"]?.stringValue?.contains("sample 0") == true)
        #expect(first["kind"] == "explain")
        #expect(first["uri"] == "file:///w/average.py")
        let phases = partials.compactMap { $0["phase"]?.stringValue }
        #expect(phases.count == partials.count)
        if let firstAnswer = phases.firstIndex(of: "answer") {
            #expect(!phases[firstAnswer...].contains("draft"))
        }
        #expect(partials.allSatisfy { $0["stats"] == nil })
    }

    @Test func askAnswersTheQuestionWithEveryProposalSeeingIt() async throws {
        let model = ScriptedModel(script: Self.script)
        let harness = try await makeHarness(model)
        defer { harness.close() }
        let question = "Why does this fail for an empty list?"
        let result = try await harness.client.request(
            "workspace/executeCommand", ["command": "selfmoa.ask", "arguments": [argument(question: .string(question))]])
        #expect(result["question"] == .string(question))
        #expect(result["markdown"]?.stringValue?.contains("ZeroDivisionError") == true)
        #expect(result["stats"]?["samples"] == 3)
        #expect(result["stats"]?["aggregated"] == true)
        // Every proposal and the synthesis saw the question.
        #expect(model.calls.count == 3)
        #expect(model.calls.allSatisfy { ChatMessage.joined($0.messages).contains(question) })
        let final = try await harness.client.waitForNotification("selfmoa/result") { $0?["partial"] == nil }
        #expect(final?["kind"] == "ask")
        #expect(final?["question"] == .string(question))
        let draft = try await harness.client.waitForNotification("selfmoa/result") { $0?["phase"] == "draft" }
        #expect(draft?["question"] == .string(question))
    }

    @Test(arguments: [
        ("absent", nil as JSONValue?),
        ("empty", .string("")),
        ("blank", .string("  \n ")),
        ("not a string", .int(3)),
    ] as [(String, JSONValue?)])
    func askWithoutAQuestionIsInvalidParamsNamingIt(_ name: String, _ question: JSONValue?) async throws {
        let model = ScriptedModel(script: Self.script)
        let harness = try await makeHarness(model)
        defer { harness.close() }
        await #expect {
            _ = try await harness.client.request(
                "workspace/executeCommand", ["command": "selfmoa.ask", "arguments": [argument(question: question)]])
        } throws: { error in
            guard let error = error as? ResponseError else { return false }
            return error.code == ResponseError.invalidParamsCode && error.message.contains("question")
        }
        #expect(model.calls.isEmpty)
    }

    @Test func anOverlongQuestionIsRefusedWithItsLength() async throws {
        let model = ScriptedModel(script: Self.script)
        let harness = try await makeHarness(model)
        defer { harness.close() }
        let question = String(repeating: "why? ", count: 801)
        await #expect {
            _ = try await harness.client.request(
                "workspace/executeCommand", ["command": "selfmoa.ask", "arguments": [argument(question: .string(question))]])
        } throws: { error in
            guard let error = error as? ResponseError else { return false }
            return error.code == ResponseError.invalidParamsCode && error.message.contains("4000")
                && error.message.contains("question")
        }
        #expect(model.calls.isEmpty)
        // The server lives on.
        let explained = try await harness.client.request(
            "workspace/executeCommand", ["command": "selfmoa.explain", "arguments": [argument()]])
        #expect(explained["markdown"] != nil)
    }

    @Test func theAskCodeActionIsOfferedToClientsThatAskForTheQuestion() async throws {
        let params: JSONValue = [
            "textDocument": ["uri": "file:///w/average.py"],
            "range": ["start": ["line": 1, "character": 0], "end": ["line": 1, "character": 0]],
            "context": ["diagnostics": []],
        ]
        for (capabilities, offered) in [(Self.askingClient, true), (ClientProfiles.full, false)] {
            let harness = try await makeHarness(ScriptedModel(script: Self.script), capabilities: capabilities)
            defer { harness.close() }
            let actions = try await harness.client.request("textDocument/codeAction", params).arrayValue ?? []
            let titles = actions.compactMap { $0["title"]?.stringValue }
            #expect(titles.contains("Self-MoA: ask about this code") == offered)
            #expect(titles.contains("Self-MoA: explain this code"))
        }
    }

    @Test func clientsWithoutTheExtensionGetNoPartialResults() async throws {
        let model = ScriptedModel(script: Self.script)
        let harness = try await makeHarness(model, capabilities: ClientProfiles.minimal)
        defer { harness.close() }
        let result = try await harness.client.request(
            "workspace/executeCommand", ["command": "selfmoa.ask", "arguments": [argument(question: "Is this safe?")]])
        #expect(result["markdown"] != nil)
        #expect(results(harness).isEmpty)
    }
}
