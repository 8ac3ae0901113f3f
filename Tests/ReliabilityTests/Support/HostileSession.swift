import Foundation
import JSON
import Synchronization
import Testing

/// A `RawServer` that is initialised, has one document open, and can show that it still answers.
final class HostileSession: Sendable {
    let server: RawServer
    private let probes = Mutex(0)

    static let uri = "file:///hostile/a.py"
    /// Five lines; the last is empty (the text ends with a newline).
    static let text = "import os\n\ndef add(a, b):\n    return a + b  # é😀\n"

    /// Starts the binary, initialises it (UTF-16 positions, code action literals) and opens `uri`.
    init(arguments: [String] = ["--log-level", "debug"], environment: [String: String] = [:], capabilities: JSONValue? = nil) async throws {
        server = try RawServer(arguments: arguments, environment: environment)
        server.request("init", "initialize", [
            "processId": .null, "rootUri": .null,
            "capabilities": capabilities ?? [
                "general": ["positionEncodings": ["utf-16"]],
                "textDocument": ["codeAction": ["codeActionLiteralSupport": ["codeActionKind": ["valueSet": ["", "quickfix", "source"]]]]],
            ],
        ])
        let reply = try await server.reply(to: "init")
        #expect(reply["result"]?["capabilities"] != nil, "initialize failed: \(reply)")
        server.notify("initialized", [:])
        server.notify("textDocument/didOpen", ["textDocument": [
            "uri": .string(Self.uri), "languageId": "python", "version": 1, "text": .string(Self.text)]])
    }

    /// A code action request on the open document; returns the range the server clamped it to.
    @discardableResult
    func codeActionRange(_ range: JSONValue, uri: String = HostileSession.uri, id: JSONValue? = nil) async throws -> JSONValue? {
        let id = id ?? .string("probe-\(probes.withLock { $0 += 1; return $0 })")
        server.request(id, "textDocument/codeAction", [
            "textDocument": ["uri": .string(uri)], "range": range, "context": ["diagnostics": []]])
        let reply = try await server.reply(to: id)
        let actions = try #require(reply["result"]?.arrayValue, "code action failed: \(reply.serialized())")
        #expect(actions.count == 3)
        return actions.first?["command"]?["arguments"]?.arrayValue?.first?["range"]
    }

    /// Shows the server still answers: a code action on the open document lists the three actions.
    func expectAlive(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let range = try await codeActionRange(Self.range(0, 0, 1, 0))
        #expect(range == Self.range(0, 0, 1, 0), sourceLocation: sourceLocation)
    }

    /// Sends a body in a frame and returns the `n`-th null-id reply it caused, which must be
    /// `code`.
    func expectNullIDError(_ body: [UInt8], code: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        let before = server.nullReplyCount
        server.sendFramed(body)
        let reply = try await server.nullReply(number: before + 1)
        #expect(reply["error"]?["code"]?.intValue == Int64(code), "\(reply.serialized())", sourceLocation: sourceLocation)
        #expect(reply["jsonrpc"] == "2.0", sourceLocation: sourceLocation)
        return reply
    }

    /// Sends a request-like body and checks the reply to `id` carries `code`.
    @discardableResult
    func expectError(_ body: String, id: JSONValue, code: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws -> JSONValue {
        server.sendFramed(body)
        let reply = try await server.reply(to: id)
        #expect(reply["error"]?["code"]?.intValue == Int64(code), "\(reply.serialized())", sourceLocation: sourceLocation)
        return reply
    }

    /// Shuts down and exits; the process must end with 0 and stdout must have carried only frames.
    func finish(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        server.request("bye", "shutdown")
        let reply = try await server.reply(to: "bye")
        #expect(reply["result"] == .null, "\(reply.serialized())", sourceLocation: sourceLocation)
        server.notify("exit")
        #expect(try await server.waitForExit() == 0, sourceLocation: sourceLocation)
        for _ in 0..<200 where !server.stdoutClosed { try await Task.sleep(for: .milliseconds(10)) }
        #expect(server.stdoutClosed, sourceLocation: sourceLocation)
        #expect(server.garbage == [], sourceLocation: sourceLocation)
    }

    static func range(_ sl: Int, _ sc: Int, _ el: Int, _ ec: Int) -> JSONValue {
        ["start": ["line": .int(Int64(sl)), "character": .int(Int64(sc))], "end": ["line": .int(Int64(el)), "character": .int(Int64(ec))]]
    }
}
