import JSON
import JSONRPC
import LanguageServer
import LSPTestSupport
import ModelBackend
import Testing

/// The three commands in process, against a scripted model.
@Suite struct ActionTests {
    static let source = """
        import json

        def total(items):
            result = 0
            for item in items:
                result = item.price
            return result
        """

    /// Answers reviews with one finding (with a fix) on line 6, completions with code, and
    /// anything else with an explanation naming the sample.
    static let script: ScriptedModel.Script = { messages, index in
        let text = ChatMessage.joined(messages)
        if text.contains("NO ISSUES") {
            return "L6 error: result is overwritten instead of summed\n```\n        result += item.price\n```"
        }
        if text.contains("<CURSOR>") || text.lowercased().contains("only code") || text.lowercased().contains("only the code") {
            return "```python\nreturn sum(item.price for item in items)\n```"
        }
        return "`total` adds up the prices of the items (sample \(index))."
    }

    private func makeHarness(_ model: ScriptedModel, capabilities: JSONValue = ClientProfiles.full) async throws -> ServerHarness {
        let harness = ServerHarness { options in
            options.makeModel = { _, _ in ModelHandle(model: model) }
        }
        try await harness.initialize(capabilities: capabilities, options: ["samples": 3])
        harness.open("file:///w/total.py", Self.source)
        return harness
    }

    private func arguments(version: Int = 1, range: (Int, Int)? = (2, 7)) -> JSONValue {
        var argument: [String: JSONValue] = ["textDocument": ["uri": "file:///w/total.py", "version": .int(Int64(version))]]
        if let range {
            argument["range"] = ["start": ["line": .int(Int64(range.0)), "character": 0], "end": ["line": .int(Int64(range.1)), "character": 0]]
        }
        return .object(argument)
    }

    @Test func explainReturnsMarkdownStatsResultNotificationAndProgress() async throws {
        let model = ScriptedModel(script: Self.script)
        let harness = try await makeHarness(model)
        defer { harness.close() }
        let result = try await harness.client.request("workspace/executeCommand", ["command": "selfmoa.explain", "arguments": [arguments()]])
        #expect(result["markdown"]?.stringValue?.contains("adds up the prices") == true)
        #expect(result["stats"]?["samples"] == 3)
        // Three proposals and a round trip for each (the code rebuilt from it, to rank them).
        #expect(result["stats"]?["forwardPasses"] == 6)
        #expect(result["stats"]?["roundTrips"] == 3)
        // explain chooses the central sound candidate: no aggregation.
        #expect(result["stats"]?["aggregated"] == false)
        #expect(result["stats"]?["decidedByCentrality"] == true)
        // The greedy draft streamed alone, the other two proposals in one call with n = 2
        // (prefill once), then the three round trips.
        #expect(model.calls.map(\.n) == [1, 2, 1, 1, 1])
        let notification = try await harness.client.waitForNotification("selfmoa/result") { $0?["partial"] == nil }
        #expect(notification?["kind"] == "explain")
        #expect(notification?["uri"] == "file:///w/total.py")
        #expect(notification?["markdown"] == result["markdown"])
        let progress = harness.client.notifications.filter { $0.method == "$/progress" }.compactMap { $0.params?["value"]?["kind"]?.stringValue }
        #expect(progress.first == "begin")
        #expect(progress.last == "end")
        #expect(progress.contains("report"))
        #expect(harness.client.serverRequests.contains { $0.method == "window/workDoneProgress/create" })
    }

    @Test func clientsWithoutTheExtensionGetAMessage() async throws {
        let model = ScriptedModel(script: Self.script)
        let harness = try await makeHarness(model, capabilities: ClientProfiles.minimal)
        defer { harness.close() }
        _ = try await harness.client.request("workspace/executeCommand", ["command": "selfmoa.explain", "arguments": [arguments()]])
        let message = try await harness.client.waitForNotification("window/showMessage")
        #expect(message?["message"]?.stringValue?.contains("adds up") == true)
        #expect(!harness.client.notifications.contains { $0.method == "selfmoa/result" })
        // No progress token could be created, and none was used.
        #expect(!harness.client.notifications.contains { $0.method == "$/progress" })
    }

    @Test func clientTokenIsHonoured() async throws {
        let model = ScriptedModel(script: Self.script)
        let harness = try await makeHarness(model)
        defer { harness.close() }
        _ = try await harness.client.request("workspace/executeCommand", [
            "command": "selfmoa.explain", "arguments": [arguments()], "workDoneToken": "mine",
        ])
        let tokens = Set(harness.client.notifications.filter { $0.method == "$/progress" }.compactMap { $0.params?["token"] })
        #expect(tokens == ["mine"])
        #expect(!harness.client.serverRequests.contains { $0.method == "window/workDoneProgress/create" })
    }

    @Test func reviewPublishesDiagnosticsOffersAFixAndCloseClears() async throws {
        let model = ScriptedModel(script: Self.script)
        let harness = try await makeHarness(model)
        defer { harness.close() }
        let result = try await harness.client.request("workspace/executeCommand", ["command": "selfmoa.review", "arguments": [arguments(range: nil)]])
        let findings = try #require(result["findings"]?.arrayValue)
        #expect(findings.count == 1)
        #expect(findings.first?["range"]?["start"]?["line"] == 5)
        #expect(findings.first?["severity"] == "error")
        // The repair check ran on `total` (4 repairs with samples 3); its repairs here are prose.
        #expect(result["stats"]?["repairChecks"] == 1)
        #expect(result["stats"]?["forwardPasses"] == 8)
        let published = try await harness.client.waitForNotification("textDocument/publishDiagnostics") { ($0?["diagnostics"]?.arrayValue?.count ?? 0) > 0 }
        #expect(published?["version"] == 1)
        let diagnostic = published?["diagnostics"]?.arrayValue?.first
        #expect(diagnostic?["source"] == "selfmoa")
        #expect(diagnostic?["range"] == ["start": ["line": 5, "character": 0], "end": ["line": 5, "character": 27]])

        let actions = try await harness.client.request("textDocument/codeAction", [
            "textDocument": ["uri": "file:///w/total.py"],
            "range": ["start": ["line": 5, "character": 3], "end": ["line": 5, "character": 3]],
            "context": ["diagnostics": [], "only": ["quickfix"]],
        ]).arrayValue ?? []
        #expect(actions.count == 1)
        let edit = actions.first?["edit"]?["documentChanges"]?.arrayValue?.first
        #expect(edit?["textDocument"]?["version"] == 1)
        #expect(edit?["edits"]?.arrayValue?.first?["newText"]?.stringValue?.contains("result += item.price") == true)

        harness.client.notify("textDocument/didClose", ["textDocument": ["uri": "file:///w/total.py"]])
        _ = try await harness.client.waitForNotification("textDocument/publishDiagnostics") { $0?["diagnostics"] == [] }
    }

    @Test func noFixIsOfferedOnceTheDocumentChanged() async throws {
        let model = ScriptedModel(script: Self.script)
        let harness = try await makeHarness(model)
        defer { harness.close() }
        _ = try await harness.client.request("workspace/executeCommand", ["command": "selfmoa.review", "arguments": [arguments(range: nil)]])
        harness.client.notify("textDocument/didChange", [
            "textDocument": ["uri": "file:///w/total.py", "version": 2], "contentChanges": [["text": .string(Self.source + "\n")]],
        ])
        let actions = try await harness.client.request("textDocument/codeAction", [
            "textDocument": ["uri": "file:///w/total.py"],
            "range": ["start": ["line": 5, "character": 0], "end": ["line": 5, "character": 0]],
            "context": ["diagnostics": [], "only": ["quickfix"]],
        ]).arrayValue ?? []
        #expect(actions.isEmpty)
    }

    /// No candidate's code parses in the file: nothing is inserted, and the user is told why.
    @Test func codeThatParsesNowhereIsNotInserted() async throws {
        let model = ScriptedModel(script: { _, _ in "```python\nreturn (item.price for\n```" })
        let harness = try await makeHarness(model)
        defer { harness.close() }
        let result = try await harness.client.request("workspace/executeCommand", [
            "command": "selfmoa.complete", "arguments": [arguments(range: (6, 7))],
        ])
        #expect(result["applied"] == false)
        #expect(result["reason"]?.stringValue?.contains("no candidate's code parses in total.py") == true)
        #expect(harness.client.serverRequests.first { $0.method == "workspace/applyEdit" } == nil)
        let shown = try await harness.client.waitForNotification("window/showMessage")
        #expect(shown?["message"]?.stringValue?.contains("nothing was inserted") == true)
    }

    @Test func completeAppliesAVersionedEdit() async throws {
        let model = ScriptedModel(script: Self.script)
        let harness = try await makeHarness(model)
        defer { harness.close() }
        let result = try await harness.client.request("workspace/executeCommand", [
            "command": "selfmoa.complete", "arguments": [arguments(range: (6, 7))],
        ])
        #expect(result["applied"] == true)
        let applyEdit = try #require(harness.client.serverRequests.first { $0.method == "workspace/applyEdit" })
        let documentEdit = applyEdit.params?["edit"]?["documentChanges"]?.arrayValue?.first
        #expect(documentEdit?["textDocument"] == ["uri": "file:///w/total.py", "version": 1])
        #expect(documentEdit?["edits"]?.arrayValue?.first?["newText"]?.stringValue?.contains("sum(item.price") == true)
    }

    @Test func completeAndCompletionBringTheImportsTheCodeNeeds() async throws {
        let model = ScriptedModel { messages, _ in
            ChatMessage.joined(messages).contains("<CURSOR>") ? "```python\nmath.fsum(xs)\n```" : "An explanation."
        }
        let harness = try await makeHarness(model)
        defer { harness.close() }
        harness.open("file:///w/norm.py", "import json\n\ndef norm(xs):\n    return \n")
        let cursor: JSONValue = ["start": ["line": 3, "character": 11], "end": ["line": 3, "character": 11]]
        let result = try await harness.client.request("workspace/executeCommand", [
            "command": "selfmoa.complete",
            "arguments": [["textDocument": ["uri": "file:///w/norm.py", "version": 1], "range": cursor]],
        ])
        #expect(result["applied"] == true)
        #expect(result["imports"]?["statements"] == ["import math"])
        // One versioned edit: `import math` after `import json`, and the code.
        let importEdit: JSONValue = ["range": ["start": ["line": 1, "character": 0], "end": ["line": 1, "character": 0]], "newText": "import math\n"]
        let applyEdit = try #require(harness.client.serverRequests.first { $0.method == "workspace/applyEdit" })
        let documentEdit = applyEdit.params?["edit"]?["documentChanges"]?.arrayValue?.first
        #expect(documentEdit?["textDocument"] == ["uri": "file:///w/norm.py", "version": 1])
        #expect(documentEdit?["edits"] == [importEdit, ["range": cursor, "newText": "math.fsum(xs)"]])

        let position: JSONValue = ["textDocument": ["uri": "file:///w/norm.py"], "position": ["line": 3, "character": 11]]
        let list = try await harness.client.request("textDocument/completion", position)
        let item = try #require(list["items"]?.arrayValue?.first)
        #expect(item["textEdit"]?["newText"] == "math.fsum(xs)")
        #expect(item["additionalTextEdits"] == [importEdit])
    }

    @Test func completeIsNotAppliedWhenTheDocumentChangedMeanwhile() async throws {
        let model = ScriptedModel(script: Self.script)
        model.hold()
        let harness = try await makeHarness(model)
        defer { harness.close() }
        async let result = harness.client.request("workspace/executeCommand", [
            "command": "selfmoa.complete", "arguments": [arguments(range: (6, 7))],
        ])
        try await waitUntil { !model.calls.isEmpty }
        harness.client.notify("textDocument/didChange", [
            "textDocument": ["uri": "file:///w/total.py", "version": 2], "contentChanges": [["text": .string(Self.source + "\n# edited")]],
        ])
        // The change is applied before the model answers.
        try await waitUntil { await harness.server.documentSnapshot("file:///w/total.py")?.version == 2 }
        model.release()
        let value = try await result
        #expect(value["applied"] == false)
        #expect(value["reason"]?.stringValue?.contains("changed") == true)
        #expect(!harness.client.serverRequests.contains { $0.method == "workspace/applyEdit" })
    }

    @Test func cancelRequestAnswersAtOnceAndStopsTheModel() async throws {
        let model = ScriptedModel(script: Self.script)
        model.hold()
        let harness = try await makeHarness(model)
        defer { harness.close() }
        let follow = Task {
            try await harness.client.request("workspace/executeCommand", ["command": "selfmoa.explain", "arguments": [arguments()]])
        }
        try await waitUntil { !model.calls.isEmpty }
        // The client's ids count from 1: initialize was 1, this command is 2.
        harness.client.notify("$/cancelRequest", ["id": 2])
        await #expect { _ = try await follow.value } throws: { ($0 as? ResponseError)?.code == ResponseError.requestCancelledCode }
        try await waitUntil { model.cancellations >= 1 }
        model.release()
    }

    @Test func backendFailureIsRequestFailedWithTheMessageShown() async throws {
        let model = ScriptedModel(failure: ModelBackendError(.unreachable, "nothing answers at http://127.0.0.1:9: is the server running?"), script: Self.script)
        let harness = try await makeHarness(model)
        defer { harness.close() }
        await #expect {
            _ = try await harness.client.request("workspace/executeCommand", ["command": "selfmoa.explain", "arguments": [arguments()]])
        } throws: {
            guard let error = $0 as? ResponseError else { return false }
            return error.code == ResponseError.requestFailedCode && error.message.contains("nothing answers")
        }
        let shown = try await harness.client.waitForNotification("window/showMessage")
        #expect(shown?["type"] == 1)
        #expect(shown?["message"]?.stringValue?.contains("is the server running") == true)
    }

    @Test func staleVersionIsContentModified() async throws {
        let model = ScriptedModel(script: Self.script)
        let harness = try await makeHarness(model)
        defer { harness.close() }
        await #expect {
            _ = try await harness.client.request("workspace/executeCommand", ["command": "selfmoa.explain", "arguments": [arguments(version: 7)]])
        } throws: { ($0 as? ResponseError)?.code == ResponseError.contentModifiedCode }
        #expect(model.calls.isEmpty)
    }

    @Test func completionReturnsOneItemAndADidChangeCancelsIt() async throws {
        let model = ScriptedModel(script: Self.script)
        let harness = try await makeHarness(model)
        defer { harness.close() }
        let position: JSONValue = ["textDocument": ["uri": "file:///w/total.py"], "position": ["line": 6, "character": 4]]
        let list = try await harness.client.request("textDocument/completion", position)
        #expect(list["items"]?.arrayValue?.count == 1)
        #expect(list["items"]?.arrayValue?.first?["textEdit"]?["newText"]?.stringValue?.contains("sum(") == true)
        let inline = try await harness.client.request("textDocument/inlineCompletion", position)
        #expect(inline["items"]?.arrayValue?.first?["insertText"]?.stringValue?.contains("sum(") == true)

        model.hold()
        let pending = Task { try await harness.client.request("textDocument/completion", position) }
        try await waitUntil { model.calls.count >= 5 }
        harness.client.notify("textDocument/didChange", [
            "textDocument": ["uri": "file:///w/total.py", "version": 2], "contentChanges": [["text": .string(Self.source + "\n")]],
        ])
        await #expect { _ = try await pending.value } throws: { ($0 as? ResponseError)?.code == ResponseError.requestCancelledCode }
        model.release()
    }

    @Test func settingsChangeTheSampleCount() async throws {
        let model = ScriptedModel(script: Self.script)
        let harness = try await makeHarness(model)
        defer { harness.close() }
        harness.client.notify("workspace/didChangeConfiguration", ["settings": ["selfmoa": ["explain": ["samples": 2]]]])
        _ = try await harness.client.request("workspace/executeCommand", ["command": "selfmoa.explain", "arguments": [arguments()]])
        // Two proposals and their round trips (explain chooses, it does not aggregate).
        #expect(model.calls.map(\.n).reduce(0, +) == 2 * 2)
    }

    @Test func badSettingsAreReportedAndIgnored() async throws {
        let model = ScriptedModel(script: Self.script)
        let harness = try await makeHarness(model)
        defer { harness.close() }
        harness.client.notify("workspace/didChangeConfiguration", ["settings": ["mode": "fastest"]])
        let shown = try await harness.client.waitForNotification("window/showMessage")
        #expect(shown?["message"]?.stringValue?.contains("mode") == true)
        _ = try await harness.client.request("workspace/executeCommand", ["command": "selfmoa.explain", "arguments": [arguments()]])
        #expect(model.calls.map(\.n).reduce(0, +) == 3 * 2)
    }
}

@Suite struct BackendSelectionTests {
    @Test func initializationOptionsChooseTheBackendBeforeTheFirstModelCall() async throws {
        let seen = RawLog()
        let model = ScriptedModel(script: ActionTests.script)
        let harness = ServerHarness { options in
            options.makeModel = { configuration, _ in
                seen.append(Array((configuration.url ?? "embedded").utf8))
                return ModelHandle(model: model)
            }
        }
        defer { harness.close() }
        try await harness.initialize(options: ["backend": ["url": "http://127.0.0.1:9/v1"]])
        harness.open("file:///w/a.py", "x = 1\n")
        _ = try await harness.client.request("workspace/executeCommand", [
            "command": "selfmoa.explain",
            "arguments": [["textDocument": ["uri": "file:///w/a.py", "version": 1], "range": ["start": ["line": 0, "character": 0], "end": ["line": 1, "character": 0]]]],
        ])
        #expect(seen.text == "http://127.0.0.1:9/v1")
    }
}
