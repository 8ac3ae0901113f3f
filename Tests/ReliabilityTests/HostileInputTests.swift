import Foundation
import JSON
import JSONRPC
import LSPTestSupport
import Testing

/// Hostile protocol input against the real binary over pipes. Every case gets the JSON-RPC error
/// `protocol/README.md` names (or is ignored where it says so), is logged on stderr, and is
/// followed by a valid request the server must still answer. Every session ends with a clean
/// shutdown, exit code 0, and stdout carrying nothing but whole frames.
@Suite(.serialized) struct HostileInputTests {
    private func codeAction(_ id: String, params: String = #"{"textDocument":{"uri":"file:///hostile/a.py"},"range":{"start":{"line":0,"character":0},"end":{"line":1,"character":0}},"context":{"diagnostics":[]}}"#) -> String {
        #"{"jsonrpc":"2.0","id":"\#(id)","method":"textDocument/codeAction","params":\#(params)}"#
    }

    @Test func invalidUTF8IsAParseError() async throws {
        let session = try await HostileSession()
        let prefix = Array(#"{"jsonrpc":"2.0","id":"utf8","method":"textDocument/codeAction","params":{"x":""#.utf8)
        let suffix = Array(#""}}"#.utf8)
        for bad: [UInt8] in [[0xFF, 0xFE], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xE2, 0x82]] {
            let reply = try await session.expectNullIDError(prefix + bad + suffix, code: -32700)
            #expect(reply["error"]?["message"]?.stringValue?.lowercased().contains("utf-8") == true, "\(reply.serialized())")
            try await session.expectAlive()
        }
        // Outside a string too.
        _ = try await session.expectNullIDError([0x7B, 0xFF, 0x7D], code: -32700)
        try await session.server.waitForLog("parse error")
        #expect(session.server.replies["utf8"] == nil)
        try await session.expectAlive()
        try await session.finish()
    }

    @Test func missingOrWrongJSONRPCVersionIsAnInvalidRequestToItsID() async throws {
        let session = try await HostileSession()
        let params = #"{"textDocument":{"uri":"file:///hostile/a.py"},"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[]}}"#
        try await session.expectError(#"{"id":"v1","method":"textDocument/codeAction","params":\#(params)}"#, id: "v1", code: -32600)
        try await session.expectError(#"{"jsonrpc":"1.0","id":"v2","method":"textDocument/codeAction","params":\#(params)}"#, id: "v2", code: -32600)
        try await session.expectError(#"{"jsonrpc":2.0,"id":"v3","method":"textDocument/codeAction","params":\#(params)}"#, id: "v3", code: -32600)
        try await session.expectError(#"{"jsonrpc":"2.0","id":"v4","method":42}"#, id: "v4", code: -32600)
        try await session.expectError(#"{"jsonrpc":"2.0","id":"v5","method":"textDocument/codeAction","params":"text"}"#, id: "v5", code: -32600)
        try await session.expectError(#"{"jsonrpc":"2.0","id":"v6"}"#, id: "v6", code: -32600)
        try await session.server.waitForLog("invalid message: missing or wrong \"jsonrpc\"")
        try await session.expectAlive()
        try await session.finish()
    }

    @Test func idsOfTheWrongTypeGetInvalidRequestWithNullID() async throws {
        let session = try await HostileSession()
        for id in ["true", "false", "1.5", "{}", "{\"a\":1}", "[]", "[1]", "null", "9223372036854775808"] {
            let body = #"{"jsonrpc":"2.0","id":\#(id),"method":"textDocument/codeAction","params":{}}"#
            _ = try await session.expectNullIDError(Array(body.utf8), code: -32600)
            try await session.expectAlive()
        }
        try await session.server.waitForLog("id must be an integer or a string")
        // Unusual but valid ids are echoed exactly.
        let long = String(repeating: "é", count: 50_000)
        for id: JSONValue in [-1, 0, .int(Int64.max), .int(Int64.min), "", .string(long), "😀"] {
            session.server.request(id, "textDocument/codeAction", ["textDocument": ["uri": .string(HostileSession.uri)],
                "range": HostileSession.range(0, 0, 0, 0), "context": ["diagnostics": []]])
            let reply = try await session.server.reply(to: id)
            #expect(reply["result"]?.arrayValue?.count == 3)
            #expect(session.server.replies[id]?.count == 1)
        }
        try await session.finish()
    }

    @Test func hundredThousandDeepNestingIsAParseError() async throws {
        let session = try await HostileSession()
        let depth = 100_000
        let cases: [[UInt8]] = [
            Array(repeating: UInt8(ascii: "["), count: depth) + Array(repeating: UInt8(ascii: "]"), count: depth),
            Array(String(repeating: #"{"a":"#, count: depth).utf8) + [UInt8(ascii: "1")] + Array(repeating: UInt8(ascii: "}"), count: depth),
            Array(repeating: UInt8(ascii: "["), count: depth),
            Array(#"{"jsonrpc":"2.0","id":"deep","method":"textDocument/codeAction","params":{"x":"#.utf8)
                + Array(repeating: UInt8(ascii: "["), count: depth) + Array(repeating: UInt8(ascii: "]"), count: depth) + Array("}}".utf8),
        ]
        for body in cases {
            let reply = try await session.expectNullIDError(body, code: -32700)
            #expect(reply["error"]?["message"]?.stringValue?.contains("nesting") == true, "\(reply.serialized())")
            try await session.expectAlive()
        }
        // Deep but within the limit is fine.
        let nested = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        let shallow = try await session.expectError(
            #"{"jsonrpc":"2.0","id":"shallow","method":"selfmoa/noSuchMethod","params":{"x":\#(nested)}}"#, id: "shallow", code: -32601)
        #expect(shallow["id"] == "shallow")
        #expect(session.server.replies["deep"] == nil)
        try await session.finish()
    }

    @Test func truncatedJSONIsAParseError() async throws {
        let session = try await HostileSession()
        let whole = codeAction("cut")
        for length in [1, 2, 10, whole.utf8.count / 2, whole.utf8.count - 1] {
            _ = try await session.expectNullIDError(Array(whole.utf8.prefix(length)), code: -32700)
        }
        // Data after the value, an empty body, white space only.
        _ = try await session.expectNullIDError(Array((whole + "{}").utf8), code: -32700)
        _ = try await session.expectNullIDError([], code: -32700)
        _ = try await session.expectNullIDError(Array("  \r\n ".utf8), code: -32700)
        #expect(session.server.replies["cut"] == nil)
        try await session.server.waitForLog("parse error")
        try await session.expectAlive()
        try await session.finish()
    }

    @Test func nullParamsAreInvalidParamsOrIgnored() async throws {
        let session = try await HostileSession()
        let reply = try await session.expectError(
            #"{"jsonrpc":"2.0","id":"np1","method":"textDocument/codeAction","params":null}"#, id: "np1", code: -32602)
        #expect(reply["error"]?["message"]?.stringValue?.contains("textDocument") == true, "\(reply.serialized())")
        try await session.expectError(#"{"jsonrpc":"2.0","id":"np2","method":"workspace/executeCommand","params":null}"#, id: "np2", code: -32602)
        try await session.expectError(#"{"jsonrpc":"2.0","id":"np3","method":"codeAction/resolve","params":null}"#, id: "np3", code: -32602)
        try await session.expectError(#"{"jsonrpc":"2.0","id":"np4","method":"textDocument/completion","params":null}"#, id: "np4", code: -32602)
        // Notifications with null params are logged and ignored.
        session.server.sendFramed(#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":null}"#)
        session.server.sendFramed(#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":null}"#)
        try await session.server.waitForLog("notification textDocument/didOpen rejected")
        try await session.server.waitForLog("answered with error -32602")
        try await session.expectAlive()
        try await session.finish()
    }

    @Test func batchesAreAnsweredElementByElement() async throws {
        let session = try await HostileSession()
        let empty = try await session.expectNullIDError(Array("[]".utf8), code: -32600)
        #expect(empty["error"]?["message"] == "empty batch")
        let before = session.server.nullReplyCount
        session.server.sendFramed(#"[1,"x",null,[],{}]"#)
        let fifth = try await session.server.nullReply(number: before + 5)
        #expect(fifth["error"]?["code"] == -32600)
        // Valid elements are handled like single messages, notifications included.
        session.server.sendFramed("[" + codeAction("b1") + ","
            + #"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///hostile/a.py","version":2},"contentChanges":[{"range":{"start":{"line":4,"character":0},"end":{"line":4,"character":0}},"text":"tail"}]}}"#
            + "," + codeAction("b2", params: #"{"textDocument":{"uri":"file:///hostile/a.py"},"range":{"start":{"line":0,"character":0},"end":{"line":99,"character":99}},"context":{"diagnostics":[]}}"#) + "]")
        let b1 = try await session.server.reply(to: "b1")
        let b2 = try await session.server.reply(to: "b2")
        #expect(b1["result"]?.arrayValue?.count == 3)
        // b2 saw the change made before it in the same batch: the last line is now "tail".
        #expect(b2["result"]?.arrayValue?.first?["command"]?["arguments"]?.arrayValue?.first?["range"] == HostileSession.range(0, 0, 4, 4))
        #expect(b2["result"]?.arrayValue?.first?["command"]?["arguments"]?.arrayValue?.first?["textDocument"]?["version"] == 2)
        try await session.server.waitForLog("empty batch")
        try await session.expectAlive()
        try await session.finish()
    }

    @Test func contentLengthTooShortLosesOnlyThatMessage() async throws {
        let session = try await HostileSession()
        let body = codeAction("short")
        let before = session.server.nullReplyCount
        session.server.sendRaw(Array("Content-Length: 10\r\n\r\n\(body)".utf8))
        session.server.sendFramed(codeAction("after-short"))
        let reply = try await session.server.nullReply(number: before + 1)
        #expect(reply["error"]?["code"] == -32700)
        // The rest of the short body cannot be read as headers; the next frame is found again.
        let after = try await session.server.reply(to: "after-short")
        #expect(after["result"]?.arrayValue?.count == 3)
        #expect(session.server.replies["short"] == nil)
        try await session.server.waitForLog("skipped input")
        try await session.expectAlive()
        try await session.finish()
    }

    @Test func contentLengthTooLongSwallowsTheNextFrameOnly() async throws {
        let session = try await HostileSession()
        let before = session.server.nullReplyCount
        let first = Array(codeAction("long-1").utf8)
        session.server.sendRaw(Array("Content-Length: \(first.count + 40)\r\n\r\n".utf8) + first)
        session.server.sendFramed(codeAction("long-2"))
        session.server.sendFramed(codeAction("long-3"))
        session.server.sendFramed(codeAction("long-4"))
        let reply = try await session.server.nullReply(number: before + 1)
        #expect(reply["error"]?["code"] == -32700)
        // long-2's first 40 bytes went into long-1's body; what is left of it is skipped, and the
        // reader resynchronises on long-3's header.
        #expect(try await session.server.reply(to: "long-3")["result"]?.arrayValue?.count == 3)
        #expect(try await session.server.reply(to: "long-4")["result"]?.arrayValue?.count == 3)
        #expect(session.server.replies["long-1"] == nil)
        #expect(session.server.replies["long-2"] == nil)
        #expect(session.server.nullReplyCount == before + 1)
        try await session.expectAlive()
        try await session.finish()
    }

    @Test func negativeNonNumericAndOverflowingLengthsAreSkipped() async throws {
        let session = try await HostileSession()
        let headers = ["-5", "abc", "99999999999999999999999", "1e3", "0x10", "", "12 34"]
        for (index, header) in headers.enumerated() {
            session.server.sendRaw(Array("Content-Length: \(header)\r\n\r\n\(codeAction("bad-length-\(index)"))".utf8))
            try await session.expectAlive()
        }
        try await session.server.waitForLog("invalid Content-Length")
        for index in headers.indices { #expect(session.server.replies[.string("bad-length-\(index)")] == nil) }
        // Zero is a valid length with an empty body: a parse error.
        let before = session.server.nullReplyCount
        session.server.sendRaw(Array("Content-Length: 0\r\n\r\n".utf8))
        #expect(try await session.server.nullReply(number: before + 1)["error"]?["code"] == -32700)
        try await session.expectAlive()
        try await session.finish()
    }

    @Test func headersWithoutALengthAreSkipped() async throws {
        let session = try await HostileSession()
        session.server.sendRaw(Array("Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n\(codeAction("no-length"))".utf8))
        try await session.expectAlive()
        session.server.sendRaw(Array("X-Junk: 1\r\n\r\n".utf8))
        try await session.expectAlive()
        session.server.sendRaw(Array("this is not a header\r\n\r\n".utf8))
        try await session.expectAlive()
        session.server.sendRaw(Array("\r\n\r\n\n".utf8))  // stray blank lines
        try await session.expectAlive()
        // A header block that never ends is given up after 8 KiB.
        session.server.sendRaw(Array(("X-Long: " + String(repeating: "x", count: 20_000)).utf8))
        session.server.sendRaw(Array("\r\n\r\n".utf8))
        try await session.expectAlive()
        #expect(session.server.replies["no-length"] == nil)
        try await session.server.waitForLog("header block without Content-Length")
        try await session.server.waitForLog("malformed header line")
        try await session.server.waitForLog("header block longer than")
        try await session.finish()
    }

    @Test func fiftyMegabyteDidOpen() async throws {
        let session = try await HostileSession()
        let line = "value = compute(alpha, beta, gamma)  # a line of padding é\n"
        let lines = 50 * 1024 * 1024 / line.utf8.count + 1
        let text = String(repeating: line, count: lines)
        #expect(text.utf8.count >= 50 * 1024 * 1024)
        session.server.notify("textDocument/didOpen", ["textDocument": [
            "uri": "file:///hostile/big.py", "languageId": "python", "version": 1, "text": .string(text)]])
        // The whole document is there: the end of a huge range clamps to its last line.
        let range = try await session.codeActionRange(HostileSession.range(0, 0, 1 << 40, 0), uri: "file:///hostile/big.py")
        #expect(range == HostileSession.range(0, 0, lines, 0))
        // An edit at the very end, then the end moves.
        session.server.notify("textDocument/didChange", [
            "textDocument": ["uri": "file:///hostile/big.py", "version": 2],
            "contentChanges": [["range": HostileSession.range(lines, 0, lines, 0), "text": "end"]]])
        let moved = try await session.codeActionRange(HostileSession.range(lines - 1, 1_000, 1 << 40, 1 << 40), uri: "file:///hostile/big.py")
        #expect(moved == HostileSession.range(lines - 1, line.utf16.count - 1, lines, 3))
        session.server.notify("textDocument/didClose", ["textDocument": ["uri": "file:///hostile/big.py"]])
        try await session.expectAlive()
        try await session.finish()
    }

    @Test func outOfRangePositionsClampAndWrongTypesAreInvalidParams() async throws {
        let session = try await HostileSession()
        // Lines: 0 "import os", 1 "", 2 "def add(a, b):", 3 "    return a + b  # é😀", 4 "".
        let cases: [(JSONValue, JSONValue)] = [
            (HostileSession.range(-5, -5, 1_000_000, 1_000_000), HostileSession.range(0, 0, 4, 0)),
            (HostileSession.range(0, 1_000, 2, 1_000), HostileSession.range(0, 9, 2, 14)),
            (HostileSession.range(Int(Int64.max), Int(Int64.max), Int(Int64.min), Int(Int64.min)), HostileSession.range(4, 0, 0, 0)),
            // Inside the surrogate pair of 😀 (UTF-16 columns 21–22): stays before it.
            (HostileSession.range(3, 22, 3, 23), HostileSession.range(3, 21, 3, 23)),
        ]
        for (sent, clamped) in cases {
            #expect(try await session.codeActionRange(sent) == clamped, "\(sent.serialized())")
        }
        for (index, position) in [#"{"line":1.5,"character":0}"#, #"{"line":"0","character":0}"#, #"{"line":0}"#, #"[0,0]"#,
                                  #"{"line":1e300,"character":0}"#, #"{"line":9223372036854775808,"character":0}"#].enumerated() {
            let params = #"{"textDocument":{"uri":"file:///hostile/a.py"},"range":{"start":\#(position),"end":{"line":0,"character":0}},"context":{"diagnostics":[]}}"#
            let reply = try await session.expectError(codeAction("type-\(index)", params: params), id: .string("type-\(index)"), code: -32602)
            #expect(reply["error"]?["message"]?.stringValue?.contains("range.start") == true, "\(reply.serialized())")
        }
        // An edit far past the end appends; a reversed range is normalised.
        session.server.notify("textDocument/didChange", [
            "textDocument": ["uri": .string(HostileSession.uri), "version": 2],
            "contentChanges": [
                ["range": HostileSession.range(1_000, 5, 2_000, 0), "text": "end"],
                ["range": HostileSession.range(0, 6, 0, 0), "text": "IMPORT"],
            ]])
        #expect(try await session.codeActionRange(HostileSession.range(0, 0, 99, 99)) == HostileSession.range(0, 0, 4, 3))
        // A command for a version the document is no longer at: content modified, before any model work.
        let stale = try await session.expectError(
            #"{"jsonrpc":"2.0","id":"stale","method":"workspace/executeCommand","params":{"command":"selfmoa.explain","arguments":[{"textDocument":{"uri":"file:///hostile/a.py","version":1},"range":{"start":{"line":-1,"character":0},"end":{"line":99999,"character":0}}}]}}"#,
            id: "stale", code: -32801)
        #expect(stale["error"]?["message"]?.stringValue?.contains("run it again") == true)
        try await session.expectAlive()
        try await session.finish()
    }

    @Test func editsAndRequestsForUnknownDocuments() async throws {
        let session = try await HostileSession()
        let ghost = "file:///hostile/ghost.py"
        session.server.notify("textDocument/didChange", [
            "textDocument": ["uri": .string(ghost), "version": 2],
            "contentChanges": [["range": HostileSession.range(0, 0, 0, 0), "text": "x"]]])
        session.server.notify("textDocument/didClose", ["textDocument": ["uri": .string(ghost)]])
        try await session.server.waitForLog("didChange for \(ghost), which is not open: ignored")
        try await session.server.waitForLog("didClose for \(ghost), which is not open: ignored")
        let params = #"{"textDocument":{"uri":"\#(ghost)"},"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":0}},"context":{"diagnostics":[]}}"#
        let reply = try await session.expectError(codeAction("ghost-1", params: params), id: "ghost-1", code: -32602)
        #expect(reply["error"]?["message"]?.stringValue?.contains("is not open") == true)
        try await session.expectError(
            #"{"jsonrpc":"2.0","id":"ghost-2","method":"workspace/executeCommand","params":{"command":"selfmoa.review","arguments":[{"textDocument":{"uri":"\#(ghost)","version":null}}]}}"#,
            id: "ghost-2", code: -32602)
        try await session.expectError(
            #"{"jsonrpc":"2.0","id":"ghost-3","method":"textDocument/completion","params":{"textDocument":{"uri":"\#(ghost)"},"position":{"line":0,"character":0}}}"#,
            id: "ghost-3", code: -32602)
        // The document that is open was not touched by any of it.
        #expect(try await session.codeActionRange(HostileSession.range(0, 0, 99, 0)) == HostileSession.range(0, 0, 4, 0))
        try await session.finish()
    }

    @Test func unknownMethodsStrayRepliesAndBadCancels() async throws {
        let session = try await HostileSession()
        try await session.expectError(#"{"jsonrpc":"2.0","id":"m1","method":"selfmoa/noSuchMethod","params":{}}"#, id: "m1", code: -32601)
        try await session.expectError(#"{"jsonrpc":"2.0","id":"m2","method":"$/noSuchRequest"}"#, id: "m2", code: -32601)
        session.server.sendFramed(#"{"jsonrpc":"2.0","method":"$/noSuchNotification","params":{"x":1}}"#)
        session.server.sendFramed(#"{"jsonrpc":"2.0","method":"selfmoa/noSuchNotification"}"#)
        session.server.sendFramed(#"{"jsonrpc":"2.0","id":777,"result":{"applied":true}}"#)
        session.server.sendFramed(#"{"jsonrpc":"2.0","id":null,"error":{"code":-1,"message":"client confused"}}"#)
        session.server.sendFramed(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":true}}"#)
        session.server.sendFramed(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":null}"#)
        session.server.sendFramed(#"{"jsonrpc":"2.0","method":"$/cancelRequest","params":{"id":"never-sent"}}"#)
        try await session.expectAlive()
        try await session.server.waitForLog("reply to unknown request id 777 ignored")
        try await session.server.waitForLog("client sent an error without id")
        try await session.server.waitForLog("$/cancelRequest without a valid id ignored")
        try await session.server.waitForLog("answered with error -32601")
        // Notifications get no reply of any kind.
        #expect(session.server.nullReplyCount == 0)
        try await session.finish()
    }

    /// `selfmoa.ask` on the open document; `question` is the argument's last member, written as
    /// JSON with its leading comma (empty: no question at all).
    private func askBody(_ id: String, _ question: String) -> String {
        #"{"jsonrpc":"2.0","id":"\#(id)","method":"workspace/executeCommand","params":{"command":"selfmoa.ask","arguments":[{"textDocument":{"uri":"file:///hostile/a.py","version":1},"range":{"start":{"line":2,"character":0},"end":{"line":3,"character":0}}\#(question)}]}}"#
    }

    @Test func askQuestionsOfTheWrongTypeEmptyOrTooLongAreInvalidParams() async throws {
        let session = try await HostileSession()
        let cases: [(String, String)] = [
            ("ask-missing", ""),
            ("ask-null", #","question":null"#),
            ("ask-empty", #","question":"""#),
            ("ask-blank", #","question":" \t\r\n ""#),
            ("ask-number", #","question":42"#),
            ("ask-array", #","question":["why?"]"#),
            ("ask-object", #","question":{"text":"why?"}"#),
            ("ask-bool", #","question":true"#),
            ("ask-4001", #","question":"\#(String(repeating: "q", count: 4_001))""#),
            ("ask-4001-wide", #","question":"\#(String(repeating: "é😀", count: 2_000))?""#),
        ]
        for (id, question) in cases {
            let reply = try await session.expectError(askBody(id, question), id: .string(id), code: -32602)
            #expect(reply["error"]?["message"]?.stringValue?.contains("question") == true, "\(id): \(reply.serialized())")
            try await session.expectAlive()
        }
        let long = try await session.expectError(askBody("ask-4001-again", #","question":"\#(String(repeating: "q", count: 4_001))""#), id: "ask-4001-again", code: -32602)
        #expect(long["error"]?["message"]?.stringValue?.contains("4001 characters") == true, "\(long.serialized())")
        try await session.server.waitForLog("answered with error -32602")
        try await session.finish()
    }

    @Test func aQuestionNearTheMessageSizeLimitIsInvalidParams() async throws {
        let session = try await HostileSession()
        // The whole body stays just under the framer's limit, so it is read, parsed and decoded.
        let envelope = askBody("ask-huge", #","question":"""#).utf8.count
        let length = MessageFramer().maximumBodyLength - envelope - 64 * 1024
        var body = Array(askBody("ask-huge", "").utf8)
        body.removeLast(4)  // `}]}}`
        body += Array(#","question":""#.utf8)
        body += [UInt8](repeating: UInt8(ascii: "w"), count: length)
        body += Array(#""}]}}"#.utf8)
        #expect(body.count < MessageFramer().maximumBodyLength)
        session.server.sendFramed(body)
        let reply = try await session.server.reply(to: "ask-huge")
        #expect(reply["error"]?["code"] == -32602, "\(reply.serialized().prefix(500))")
        #expect(reply["error"]?["message"]?.stringValue?.contains("question is \(length) characters long") == true)
        body = []
        try await session.expectAlive()
        try await session.finish()
    }

    @Test func reviewChangesArgumentsAreCheckedBeforeGitRuns() async throws {
        let session = try await HostileSession()
        let repository = BinaryServer.repositoryRoot.absoluteString  // a real git repository
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("selfmoa-hostile-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: outside) }
        func reviewChanges(_ id: String, _ argument: String) -> String {
            #"{"jsonrpc":"2.0","id":"\#(id)","method":"workspace/executeCommand","params":{"command":"selfmoa.reviewChanges","arguments":[\#(argument)]}}"#
        }
        let cases: [(id: String, argument: String, names: String)] = [
            ("rc-http", #"{"root":"https://example.com/repo.git"}"#, "root"),
            ("rc-relative", #"{"root":"hostile/repo"}"#, "root"),
            ("rc-untitled", #"{"root":"untitled:Untitled-1"}"#, "root"),
            ("rc-root-number", #"{"root":7}"#, "root"),
            // An option in place of a revision is refused, never handed to git.
            ("rc-option", #"{"root":"\#(repository)","revision":"--output=\#(outside.path)"}"#, "revision"),
            ("rc-short-option", #"{"root":"\#(repository)","revision":"-o\#(outside.path)"}"#, "revision"),
            ("rc-empty-revision", #"{"root":"\#(repository)","revision":""}"#, "revision"),
            ("rc-revision-array", #"{"root":"\#(repository)","revision":["HEAD"]}"#, "revision"),
            ("rc-zero", #"{"root":"\#(repository)","maxFunctions":0}"#, "maxFunctions"),
            ("rc-negative", #"{"root":"\#(repository)","maxFunctions":-5}"#, "maxFunctions"),
            ("rc-min", #"{"root":"\#(repository)","maxFunctions":-9223372036854775808}"#, "maxFunctions"),
            ("rc-string", #"{"root":"\#(repository)","maxFunctions":"5"}"#, "maxFunctions"),
            ("rc-fraction", #"{"root":"\#(repository)","maxFunctions":2.5}"#, "maxFunctions"),
            ("rc-argument-string", #""HEAD""#, "invalid params"),
        ]
        for (id, argument, names) in cases {
            let reply = try await session.expectError(reviewChanges(id, argument), id: .string(id), code: -32602)
            #expect(reply["error"]?["message"]?.stringValue?.contains(names) == true, "\(id): \(reply.serialized())")
            try await session.expectAlive()
        }
        #expect(!FileManager.default.fileExists(atPath: outside.path), "git ran with the revision as an option")
        // A session without a workspace and no root: told to pass one.
        let noRoot = try await session.expectError(reviewChanges("rc-no-root", "{}"), id: "rc-no-root", code: -32602)
        #expect(noRoot["error"]?["message"]?.stringValue?.contains("root") == true, "\(noRoot.serialized())")
        // A folder that is not a git repository: the request fails with git's verdict.
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let notARepository = try await session.expectError(
            reviewChanges("rc-not-git", #"{"root":"\#(outside.absoluteString)"}"#), id: "rc-not-git", code: -32803)
        #expect(notARepository["error"]?["message"]?.stringValue?.contains("not in a git repository") == true, "\(notARepository.serialized())")
        try await session.expectAlive()
        try await session.finish()
    }

    @Test func lifecycleViolations() async throws {
        let server = try RawServer()
        server.request("early", "textDocument/codeAction", ["textDocument": ["uri": "file:///x.py"]])
        #expect(try await server.reply(to: "early")["error"]?["code"] == -32002)
        server.notify("textDocument/didOpen", ["textDocument": ["uri": "file:///x.py", "languageId": "python", "version": 1, "text": "x"]])
        server.request("init", "initialize", ["capabilities": [:]])
        #expect(try await server.reply(to: "init")["result"] != nil)
        server.request("init-again", "initialize", ["capabilities": [:]])
        #expect(try await server.reply(to: "init-again")["error"]?["code"] == -32600)
        // The didOpen before initialize was dropped.
        server.request("dropped", "textDocument/codeAction", [
            "textDocument": ["uri": "file:///x.py"], "range": HostileSession.range(0, 0, 0, 0), "context": ["diagnostics": []]])
        #expect(try await server.reply(to: "dropped")["error"]?["code"] == -32602)
        server.request("down", "shutdown", .null)
        #expect(try await server.reply(to: "down")["result"] == .null)
        server.request("late", "textDocument/codeAction", ["textDocument": ["uri": "file:///x.py"]])
        #expect(try await server.reply(to: "late")["error"]?["code"] == -32600)
        server.notify("exit")
        #expect(try await server.waitForExit() == 0)
        try await Task.sleep(for: .milliseconds(100))
        #expect(server.garbage == [])
        try await server.waitForLog("answered with error -32002")
    }
}
