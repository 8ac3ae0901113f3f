import Foundation
import JSON
import JSONRPC
import LSPTestSupport
import Testing

/// The real binary over real pipes: a whole session, the error codes, and stdout hygiene.
@Suite(.serialized) struct BinarySessionTests {
    @Test func wholeSessionExitsZeroAndStdoutCarriesOnlyFrames() async throws {
        let server = try BinaryServer(arguments: ["--log-level", "debug"])
        let initialize = try await server.client.request("initialize", ["processId": .null, "rootUri": .null, "capabilities": ClientProfiles.full])
        #expect(initialize["capabilities"]?["positionEncoding"] == "utf-16")
        server.client.notify("initialized", [:])
        server.client.notify("textDocument/didOpen", ["textDocument": [
            "uri": "file:///tmp/a.py", "languageId": "python", "version": 1, "text": "def f(x):\n    return x\n"]])
        server.client.notify("textDocument/didChange", [
            "textDocument": ["uri": "file:///tmp/a.py", "version": 2],
            "contentChanges": [["range": ["start": ["line": 1, "character": 12], "end": ["line": 1, "character": 12]], "text": " + 1"]],
        ])
        let actions = try await server.client.request("textDocument/codeAction", [
            "textDocument": ["uri": "file:///tmp/a.py"],
            "range": ["start": ["line": 0, "character": 0], "end": ["line": 1, "character": 16]],
            "context": ["diagnostics": []],
        ])
        #expect(actions.arrayValue?.count == 3)
        let argument = actions.arrayValue?.first?["data"]?["arguments"]?.arrayValue?.first
        #expect(argument?["textDocument"]?["version"] == 2)
        #expect(argument?["textDocument"]?["uri"] == "file:///tmp/a.py")
        #expect(try await server.client.request("shutdown") == .null)
        server.client.notify("exit")
        #expect(try await server.waitForExit() == 0)
        let frames = framesOnly(server.rawStdout.contents)
        #expect(frames != nil, "stdout carried something other than frames: \(server.rawStdout.text.prefix(300))")
        // The URI went out with its slashes unescaped.
        #expect(server.rawStdout.text.contains("file:///tmp/a.py"))
        // Logs went to stderr.
        #expect(server.stderrLog.text.contains("initialized"))
    }

    @Test func exitWithoutShutdownIsOne() async throws {
        let server = try BinaryServer()
        _ = try await server.client.request("initialize", ["capabilities": [:]])
        server.client.notify("exit")
        #expect(try await server.waitForExit() == 1)
    }

    @Test func malformedInputGetsErrorsAndTheServerLivesOn() async throws {
        let server = try BinaryServer()
        server.sendRaw(MessageFramer.frame(Array("{not json".utf8)))
        server.sendRaw(Array("X-Junk: 1\r\n\r\n".utf8))
        server.sendRaw(MessageFramer.frame(Array(#"{"id":"raw-1","method":"initialize","params":{}}"#.utf8)))
        server.sendRaw(MessageFramer.frame(Array(#"{"jsonrpc":"2.0","id":"raw-2","method":"textDocument/codeAction","params":{}}"#.utf8)))
        let result = try await server.client.request("initialize", ["capabilities": [:]])
        #expect(result["serverInfo"]?["name"] == "selfmoa-lsp")
        _ = try await server.client.request("shutdown")
        server.client.notify("exit")
        #expect(try await server.waitForExit() == 0)
        let frames = try #require(framesOnly(server.rawStdout.contents))
        let errors = frames.compactMap { $0["error"] }
        #expect(errors.map { $0["code"] } == [-32700, -32600, -32002])
        #expect(frames.first?["id"] == .null)
        #expect(server.stderrLog.text.contains("Content-Length"))
    }

    @Test func closingStdinEndsTheServer() async throws {
        let server = try BinaryServer()
        _ = try await server.client.request("initialize", ["capabilities": [:]])
        server.closeInput()
        #expect(try await server.waitForExit() == 1)
    }
}
