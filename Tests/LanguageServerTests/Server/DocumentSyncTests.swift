import JSON
import JSONRPC
import LanguageServer
import LSPTestSupport
import Testing

@Suite struct DocumentSyncTests {
    @Test func incrementalChangesAreAppliedInOrder() async throws {
        let harness = ServerHarness()
        defer { harness.close() }
        try await harness.initialize()
        harness.open("file:///a.py", "def f():\n    return 1\n")
        for (index, insertion) in ["x", "y", "z"].enumerated() {
            harness.client.notify("textDocument/didChange", [
                "textDocument": ["uri": "file:///a.py", "version": .int(Int64(index + 2))],
                "contentChanges": [["range": ["start": ["line": 1, "character": 12], "end": ["line": 1, "character": 12]], "text": .string(insertion)]],
            ])
        }
        // A request after the notifications sees all of them.
        _ = try await harness.client.request("textDocument/codeAction", [
            "textDocument": ["uri": "file:///a.py"],
            "range": ["start": ["line": 0, "character": 0], "end": ["line": 0, "character": 0]],
            "context": ["diagnostics": []],
        ])
        let document = await harness.server.documentSnapshot("file:///a.py")
        #expect(document?.text == "def f():\n    return 1zyx\n")
        #expect(document?.version == 4)
    }

    @Test func fullChangeReplacesTheText() async throws {
        let harness = ServerHarness()
        defer { harness.close() }
        try await harness.initialize()
        harness.open("file:///a.py", "old")
        harness.client.notify("textDocument/didChange", [
            "textDocument": ["uri": "file:///a.py", "version": 2], "contentChanges": [["text": "new\ntext"]],
        ])
        try await waitUntil { await harness.server.documentSnapshot("file:///a.py")?.text == "new\ntext" }
    }

    @Test func changeForUnknownDocumentIsIgnoredAndServerLivesOn() async throws {
        let harness = ServerHarness()
        defer { harness.close() }
        try await harness.initialize()
        harness.client.notify("textDocument/didChange", [
            "textDocument": ["uri": "file:///nope.py", "version": 2], "contentChanges": [["text": "x"]],
        ])
        #expect(await harness.server.documentSnapshot("file:///nope.py") == nil)
        #expect(try await harness.client.request("shutdown") == .null)
    }

    @Test func closeForgetsTheDocument() async throws {
        let harness = ServerHarness()
        defer { harness.close() }
        try await harness.initialize()
        harness.open("file:///a.py", "x")
        harness.client.notify("textDocument/didClose", ["textDocument": ["uri": "file:///a.py"]])
        try await waitUntil { await harness.server.documentSnapshot("file:///a.py") == nil }
    }
}
