import JSON
import JSONRPC
import LanguageServer
import Logging
import ModelBackend
import Synchronization

/// Properties of the whole server on any byte stream that follows an `initialize` preamble.
///
/// A fresh `Connection` and `LanguageServer` read the preamble and the input to the end; the
/// model behind every command fails at once (model work is out of scope here). Then:
/// - everything the server wrote is whole frames of valid JSON-RPC 2.0;
/// - every request id in the input got exactly as many replies as it was sent, and the replies
///   to `id: null` match the input's unparsable bodies, empty batches and messages without a
///   usable id (all counted independently from the input);
/// - no reply is left outstanding after the input ends.
public enum ServerChecks {
    /// The document the preamble opens, for inputs to refer to.
    public static let documentURI = "file:///fuzz/a.py"

    /// The frames the server reads before the input.
    public static let preamble: [UInt8] = {
        let messages: [JSONValue] = [
            ["jsonrpc": "2.0", "id": "fuzz-initialize", "method": "initialize", "params": [
                "processId": .null, "rootUri": .null,
                "capabilities": [
                    "general": ["positionEncodings": ["utf-16"]],
                    "workspace": ["applyEdit": true, "workspaceEdit": ["documentChanges": true]],
                    "textDocument": ["codeAction": [
                        "codeActionLiteralSupport": ["codeActionKind": ["valueSet": ["", "quickfix", "source"]]],
                        "resolveSupport": ["properties": ["command"]],
                    ]],
                    "experimental": ["selfmoa": ["results": true, "ask": true]],
                ],
            ]],
            ["jsonrpc": "2.0", "method": "initialized", "params": [:]],
            ["jsonrpc": "2.0", "method": "textDocument/didOpen", "params": ["textDocument": [
                "uri": .string(documentURI), "languageId": "python", "version": 1,
                "text": "import os\n\ndef add(a, b):\n    \"\"\"Add.\"\"\"\n    return a + b  # é😀\n",
            ]]],
        ]
        return messages.flatMap { MessageFramer.frame($0.serializedBytes()) }
    }()

    public static func check(_ data: [UInt8]) async -> [String] {
        let stream = preamble + data
        let expected = expectedReplies(stream)
        let output = Mutex<[UInt8]>([])
        let logger = Logger(label: "fuzz", factory: { _ in SwiftLogNoOpLogHandler() })
        let connection = Connection(output: { bytes in output.withLock { $0 += bytes } }, logger: logger)
        let options = LanguageServer.Options(makeModel: { _, _ in ModelHandle(model: UnavailableModel()) })
        let server = LanguageServer(connection: connection, logger: logger, options: options, onExit: { _ in })
        let (input, continuation) = AsyncStream<[UInt8]>.makeStream()
        var random = InputRandom(seed: data)
        var offset = 0
        while offset < stream.count {
            let size = min(stream.count - offset, 1 + random.below(4096))
            continuation.yield(Array(stream[offset..<offset + size]))
            offset += size
        }
        continuation.finish()
        await connection.run(input: input, handler: server)

        // Model work finishes on its own tasks: wait for its replies (a bounded time).
        var replies = Replies()
        var violations: [String] = []
        for attempt in 0..<400 {
            let bytes = output.withLock { $0 }
            switch Replies.read(bytes) {
            case .failure(let problem):
                return ["server: \(problem)"]
            case .success(let read):
                replies = read
            }
            if replies.byID == expected.byID && replies.withoutID == expected.withoutID { break }
            if attempt == 399 { break }
            try? await Task.sleep(for: .milliseconds(5))
        }
        for (id, count) in expected.byID where replies.byID[id, default: 0] != count {
            violations.append("server: request \(id) sent \(count)× got \(replies.byID[id, default: 0]) replies")
        }
        for (id, count) in replies.byID where expected.byID[id] == nil {
            violations.append("server: \(count) replies to \(id), which was never sent")
        }
        if replies.withoutID != expected.withoutID {
            violations.append("server: \(replies.withoutID) replies to id null, expected \(expected.withoutID)")
        }
        return violations
    }

    /// Replies counted by id.
    struct Replies: Equatable {
        var byID: [RequestID: Int] = [:]
        var withoutID = 0

        /// Reads the server's output; fails unless it is whole frames of JSON-RPC 2.0 messages.
        static func read(_ bytes: [UInt8]) -> Result<Replies, Problem> {
            var framer = MessageFramer()
            framer.append(bytes)
            var replies = Replies()
            var consumed = 0
            while let event = framer.next() {
                guard case .message(let body) = event else { return .failure(Problem("output is not whole frames")) }
                consumed += MessageFramer.frame(body).count
                guard let value = try? JSONValue.parse(body) else {
                    return .failure(Problem("output frame is not JSON: \(body.preview)"))
                }
                switch Message.classify(value) {
                case .failure(let invalid):
                    return .failure(Problem("output frame is not JSON-RPC (\(invalid.error.message)): \(body.preview)"))
                case .success(.response(let id, _)):
                    if let id { replies.byID[id, default: 0] += 1 } else { replies.withoutID += 1 }
                case .success:
                    break  // the server's own requests and notifications
                }
            }
            if consumed != bytes.count { return .failure(Problem("output ends in a partial frame")) }
            return .success(replies)
        }
    }

    struct Problem: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// What the input asks for, counted with the framer, the parser and `Message.classify`.
    static func expectedReplies(_ stream: [UInt8]) -> Replies {
        var framer = MessageFramer()
        framer.append(stream)
        var expected = Replies()
        func count(_ value: JSONValue) {
            switch Message.classify(value) {
            case .success(.request(let id, _, _)): expected.byID[id, default: 0] += 1
            case .success: break
            case .failure(let invalid):
                if let id = invalid.id { expected.byID[id, default: 0] += 1 } else { expected.withoutID += 1 }
            }
        }
        while let event = framer.next() {
            guard case .message(let body) = event else { continue }
            guard let value = try? JSONValue.parse(body) else {
                expected.withoutID += 1
                continue
            }
            if case .array(let elements) = value {
                if elements.isEmpty { expected.withoutID += 1 }
                elements.forEach(count)
            } else {
                count(value)
            }
        }
        return expected
    }
}

/// A model that is never there: every call fails at once with `.unreachable`.
struct UnavailableModel: LanguageModel {
    private var error: ModelBackendError { ModelBackendError(.unreachable, "no model while fuzzing") }
    func capabilities() async throws(ModelBackendError) -> ModelCapabilities { throw error }
    func complete(_ request: ChatRequest) async throws(ModelBackendError) -> [Completion] { throw error }
    func stream(_ request: ChatRequest) -> AsyncThrowingStream<StreamEvent, any Error> {
        AsyncThrowingStream { $0.finish(throwing: error) }
    }
    func infill(_ request: InfillRequest) async throws(ModelBackendError) -> [Completion] { throw error }
    func countTokens(_ text: String) async throws(ModelBackendError) -> Int { throw error }
}
