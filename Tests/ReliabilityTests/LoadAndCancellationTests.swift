import Foundation
import JSON
import Testing

/// Ten thousand requests through the real binary with interleaved `$/cancelRequest` and
/// `didChange` storms: every request is answered exactly once, cancelled commands with −32800,
/// the document ends up exactly as the edits say, no server-to-client request is left waiting,
/// and resident memory stays flat from one storm to the next.
///
/// Every request carries 8 KiB of padding the server ignores, so a request object that is never
/// released (its params with it) would show: 5000 leaked requests are 40 MiB, far above the
/// slack allowed for the allocator's own growth.
@Suite(.serialized) struct LoadAndCancellationTests {
    static let uri = "file:///load/a.py"
    static let text = "import os\n\ndef add(a, b):\n    return a + b\n"

    /// What one storm sent and what each id may be answered with.
    struct Storm {
        var commands: [String] = []
        var codeActions: [String] = []
        var completions: [String] = []
        var cancelledCodeActions: Set<String> = []
        var edits = 0
        var all: [String] { commands + codeActions + completions }
    }

    /// Sends `requests` requests: half cheap code actions, the rest `selfmoa.explain` commands
    /// (each cancelled, at once or a batch later) and a few completions (cancelled by the edits),
    /// with a `didChange` (one more line at the top) after every third message.
    static func storm(_ server: RawServer, tag: String, requests: Int, version: inout Int) async -> Storm {
        var storm = Storm()
        var pending: [String] = []  // commands whose cancel goes out with the next batch
        var batch: [UInt8] = []
        func add(_ message: JSONValue) { batch += MessageFramerBytes.frame(message) }
        func padded(_ params: JSONValue) -> JSONValue {
            guard case .object(var members) = params else { return params }
            members["padding"] = .string(padding)
            return .object(members)
        }
        for index in 0..<requests {
            let id: String
            switch index % 20 {
            case 0, 2, 4, 6, 8, 10, 12, 14, 16:
                id = "\(tag)-ca-\(index)"
                storm.codeActions.append(id)
                add(["jsonrpc": "2.0", "id": .string(id), "method": "textDocument/codeAction", "params": padded([
                    "textDocument": ["uri": .string(uri)], "range": range(0, 0, 1, 0), "context": ["diagnostics": []]])])
                if index % 100 == 0 {  // a cancel racing a request that is answered at once
                    storm.cancelledCodeActions.insert(id)
                    add(["jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": .string(id)]])
                }
            case 18:
                id = "\(tag)-cp-\(index)"
                storm.completions.append(id)
                add(["jsonrpc": "2.0", "id": .string(id), "method": "textDocument/completion", "params": padded([
                    "textDocument": ["uri": .string(uri)], "position": ["line": 0, "character": 0]])])
            default:
                id = "\(tag)-ex-\(index)"
                storm.commands.append(id)
                add(["jsonrpc": "2.0", "id": .string(id), "method": "workspace/executeCommand", "params": padded([
                    "command": "selfmoa.explain",
                    "arguments": [["textDocument": ["uri": .string(uri), "version": .null], "range": range(0, 0, 0, 0)]]])])
                if index % 3 == 0 {
                    add(["jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": .string(id)]])
                } else {
                    pending.append(id)
                }
            }
            if index % 3 == 2 {
                version += 1
                storm.edits += 1
                add(["jsonrpc": "2.0", "method": "textDocument/didChange", "params": [
                    "textDocument": ["uri": .string(uri), "version": .int(Int64(version))],
                    "contentChanges": [["range": range(0, 0, 0, 0), "text": "x = 0\n"]]]])
            }
            if index % 200 == 199 {
                server.sendRaw(batch)
                batch = []
                // Once the batch's last code action is answered, every command before it has
                // started and waits for its progress: cancel those now, the others were
                // cancelled while still queued.
                let last = JSONValue.string(storm.codeActions.last ?? "")
                try? await server.wait(for: "the batch's code actions", timeout: 30) { _, replies in replies[last] != nil }
                for id in pending {
                    add(["jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": .string(id)]])
                }
                pending = []
            }
        }
        for id in pending {
            add(["jsonrpc": "2.0", "method": "$/cancelRequest", "params": ["id": .string(id)]])
        }
        server.sendRaw(batch)
        await server.flush()
        return storm
    }

    static let padding = String(repeating: "p", count: 8 * 1024)

    static func range(_ sl: Int, _ sc: Int, _ el: Int, _ ec: Int) -> JSONValue {
        ["start": ["line": .int(Int64(sl)), "character": .int(Int64(sc))], "end": ["line": .int(Int64(el)), "character": .int(Int64(ec))]]
    }

    /// Waits for every reply of `storm` and checks each id got exactly one of the right kind.
    static func expectAnswered(_ storm: Storm, by server: RawServer) async throws {
        let ids = storm.all.map(JSONValue.string)
        try await server.wait(for: "\(ids.count) replies", timeout: 90) { _, replies in
            ids.allSatisfy { replies[$0] != nil }
        }
        let replies = server.replies
        for id in storm.all {
            let count = replies[.string(id)]?.count ?? 0
            if count != 1 { Issue.record("\(id) answered \(count) times") }
        }
        for id in storm.commands {
            let code = replies[.string(id)]?.first?["error"]?["code"]
            if code != -32800 { Issue.record("cancelled command \(id) answered \(replies[.string(id)]?.first?.serialized() ?? "-")") }
        }
        for id in storm.codeActions {
            let reply = replies[.string(id)]?.first
            let ok = reply?["result"]?.arrayValue?.count == 3
                || (storm.cancelledCodeActions.contains(id) && reply?["error"]?["code"] == -32800)
            if !ok { Issue.record("code action \(id) answered \(reply?.serialized() ?? "-")") }
        }
        for id in storm.completions {
            // Cancelled by the edit after it, or failed at the (unreachable) backend first.
            let code = replies[.string(id)]?.first?["error"]?["code"]?.intValue
            if code != -32800 && code != -32803 { Issue.record("completion \(id) answered \(replies[.string(id)]?.first?.serialized() ?? "-")") }
        }
    }

    @Test func tenThousandRequestsWithCancelAndChangeStorms() async throws {
        let started = ContinuousClock.now
        let server = try RawServer(arguments: ["--log-level", "info", "--backend-url", "http://127.0.0.1:9"])
        server.request("init", "initialize", ["processId": .null, "rootUri": .null, "capabilities": [
            "window": ["workDoneProgress": true],
            "textDocument": ["codeAction": ["codeActionLiteralSupport": ["codeActionKind": ["valueSet": ["", "source"]]]]],
        ]])
        #expect(try await server.reply(to: "init")["result"] != nil)
        server.notify("initialized", [:])
        server.notify("textDocument/didOpen", ["textDocument": [
            "uri": .string(Self.uri), "languageId": "python", "version": 1, "text": .string(Self.text)]])
        var version = 1

        let warmUp = await Self.storm(server, tag: "w", requests: 2_000, version: &version)
        try await Self.expectAnswered(warmUp, by: server)
        try await Task.sleep(for: .milliseconds(300))
        let rssWarm = try #require(server.residentKiB)
        let threadsWarm = try #require(server.threads)

        let first = await Self.storm(server, tag: "a", requests: 5_000, version: &version)
        try await Self.expectAnswered(first, by: server)
        try await Task.sleep(for: .milliseconds(300))
        let rssFirst = try #require(server.residentKiB)

        let second = await Self.storm(server, tag: "b", requests: 5_000, version: &version)
        try await Self.expectAnswered(second, by: server)
        try await Task.sleep(for: .milliseconds(300))
        let rssSecond = try #require(server.residentKiB)
        let threadsAfter = try #require(server.threads)

        // The document is exactly the original plus one line per edit, at the last version.
        let edits = warmUp.edits + first.edits + second.edits
        server.request("final", "textDocument/codeAction", [
            "textDocument": ["uri": .string(Self.uri)], "range": Self.range(0, 0, 1 << 30, 0), "context": ["diagnostics": []]])
        let final = try await server.reply(to: "final")
        let argument = final["result"]?.arrayValue?.first?["command"]?["arguments"]?.arrayValue?.first
        #expect(argument?["range"] == Self.range(0, 0, 4 + edits, 0))
        #expect(argument?["textDocument"]?["version"] == .int(Int64(version)))

        // Every progress the cancelled commands asked the client to create was given up: late
        // answers find no one waiting (a leaked waiter would take them silently).
        let creates = server.frames.filter { $0["method"] == "window/workDoneProgress/create" }.compactMap { $0["id"] }
        var answers: [UInt8] = []
        for id in creates { answers += MessageFramerBytes.frame(["jsonrpc": "2.0", "id": id, "result": .null]) }
        server.sendRaw(answers)
        for id in creates.suffix(1) {
            try await server.waitForLog("reply to unknown request id \(id.serialized()) ignored", timeout: 30)
        }
        let ignored = server.stderr.text.components(separatedBy: "reply to unknown request id").count - 1
        #expect(ignored == creates.count)

        // No reply went to an id nobody sent, and nothing went to id null.
        let sent = Set((warmUp.all + first.all + second.all + ["init", "final"]).map(JSONValue.string))
        let strays = Set(server.replies.keys).subtracting(sent)
        #expect(strays.isEmpty, "\(strays.count) replies to ids never sent, e.g. \(strays.first?.serialized() ?? "")")

        server.request("bye", "shutdown")
        #expect(try await server.reply(to: "bye")["result"] == .null)
        server.notify("exit")
        #expect(try await server.waitForExit() == 0)
        for _ in 0..<200 where !server.stdoutClosed { try await Task.sleep(for: .milliseconds(10)) }
        #expect(server.garbage == [])

        let requests = warmUp.all.count + first.all.count + second.all.count
        let elapsed = ContinuousClock.now - started
        print("""
            load: \(requests) requests (\(warmUp.commands.count + first.commands.count + second.commands.count) cancelled commands, \
            \(creates.count) progress creations given up), \(edits) edits in \(elapsed); \
            VmRSS after warm-up \(rssWarm) KiB, after 5k \(rssFirst) KiB, after 10k \(rssSecond) KiB; \
            threads \(threadsWarm) → \(threadsAfter)
            """)
        // Leaked requests would grow each storm by up to 40 MiB; the allocator's own growth
        // (arenas, dictionary capacities) is a few MiB and settles.
        #expect(rssSecond - rssFirst < 16 * 1024, "VmRSS grew from \(rssFirst) to \(rssSecond) KiB over 5000 requests")
        #expect(rssSecond - rssWarm < 32 * 1024, "VmRSS grew from \(rssWarm) to \(rssSecond) KiB over 10000 requests")
        #expect(threadsAfter <= threadsWarm + 2)
    }
}

/// Frames a JSON value as the server reads it.
enum MessageFramerBytes {
    static func frame(_ value: JSONValue) -> [UInt8] {
        let body = value.serializedBytes()
        return Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }
}
