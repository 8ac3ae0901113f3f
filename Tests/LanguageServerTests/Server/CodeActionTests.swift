import JSON
import JSONRPC
import LanguageServer
import LSPTestSupport
import Testing

@Suite struct CodeActionTests {
    private func listActions(_ harness: ServerHarness, only: [String]? = nil) async throws -> [JSONValue] {
        var context: [String: JSONValue] = ["diagnostics": []]
        if let only { context["only"] = .array(only.map { .string($0) }) }
        let result = try await harness.client.request("textDocument/codeAction", [
            "textDocument": ["uri": "file:///a.py"],
            "range": ["start": ["line": 0, "character": 0], "end": ["line": 1, "character": 4]],
            "context": .object(context),
        ])
        return result.arrayValue ?? []
    }

    @Test func threeActionsWithResolvableData() async throws {
        let harness = ServerHarness()
        defer { harness.close() }
        try await harness.initialize()
        harness.open("file:///a.py", "def f():\n    pass\n")
        let actions = try await listActions(harness)
        #expect(actions.map { $0["kind"] } == ["source.selfmoa.explain", "source.selfmoa.review", "source.selfmoa.complete"])
        // The client resolves the command later, so listing carries data and no command.
        #expect(actions.allSatisfy { $0["command"] == nil && $0["data"] != nil })
        let resolved = try await harness.client.request("codeAction/resolve", actions[0])
        #expect(resolved["command"]?["command"] == "selfmoa.explain")
        let argument = resolved["command"]?["arguments"]?.arrayValue?.first
        #expect(argument?["textDocument"]?["uri"] == "file:///a.py")
        #expect(argument?["textDocument"]?["version"] == 1)
        #expect(argument?["range"]?["end"] == ["line": 1, "character": 4])
    }

    @Test func clientsWithoutResolveGetTheCommandInline() async throws {
        let harness = ServerHarness()
        defer { harness.close() }
        try await harness.initialize(capabilities: [
            "textDocument": ["codeAction": ["codeActionLiteralSupport": ["codeActionKind": ["valueSet": ["source"]]]]]
        ])
        harness.open("file:///a.py", "x = 1\n")
        let actions = try await listActions(harness)
        #expect(actions.map { $0["command"]?["command"] } == ["selfmoa.explain", "selfmoa.review", "selfmoa.complete"])
    }

    @Test func clientsWithoutLiteralsGetBareCommands() async throws {
        let harness = ServerHarness()
        defer { harness.close() }
        try await harness.initialize(capabilities: ClientProfiles.minimal)
        harness.open("file:///a.py", "x = 1\n")
        let actions = try await listActions(harness)
        #expect(actions.map { $0["command"] } == ["selfmoa.explain", "selfmoa.review", "selfmoa.complete"])
    }

    @Test func onlyFiltersKinds() async throws {
        let harness = ServerHarness()
        defer { harness.close() }
        try await harness.initialize()
        harness.open("file:///a.py", "x = 1\n")
        #expect(try await listActions(harness, only: ["quickfix"]).isEmpty)
        #expect(try await listActions(harness, only: ["source.selfmoa.review"]).count == 1)
        #expect(try await listActions(harness, only: ["source"]).count == 3)
    }

    @Test func unknownDocumentIsInvalidParams() async throws {
        let harness = ServerHarness()
        defer { harness.close() }
        try await harness.initialize()
        await #expect { _ = try await listActions(harness) } throws: {
            ($0 as? ResponseError)?.code == ResponseError.invalidParamsCode
        }
    }

    @Test func outOfRangeRangeIsClamped() async throws {
        let harness = ServerHarness()
        defer { harness.close() }
        try await harness.initialize()
        harness.open("file:///a.py", "ab\n")
        let actions = try await harness.client.request("textDocument/codeAction", [
            "textDocument": ["uri": "file:///a.py"],
            "range": ["start": ["line": 0, "character": 50], "end": ["line": 40, "character": 2]],
            "context": ["diagnostics": []],
        ]).arrayValue ?? []
        let argument = actions.first?["data"]?["arguments"]?.arrayValue?.first
        #expect(argument?["range"] == ["start": ["line": 0, "character": 2], "end": ["line": 1, "character": 0]])
    }
}
