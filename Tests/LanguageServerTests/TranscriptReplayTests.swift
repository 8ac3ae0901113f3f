import Foundation
import JSON
import JSONRPC
import LanguageServer
import Logging
import LSPTestSupport
import Testing

/// Replays every `protocol/examples/*.jsonl` transcript against the server: `send` lines go to
/// the server as frames (`sendRaw` as given), each `expect` line must match the next message
/// the server writes (objects match on the keys the pattern lists; arrays element by element).
@Suite struct TranscriptReplayTests {
    static let transcripts: [String] = {
        let folder = BinaryServer.repositoryRoot.appendingPathComponent("protocol/examples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.sorted().map { folder.appendingPathComponent($0).path }
    }()

    @Test func thereAreTranscripts() {
        #expect(Self.transcripts.count >= 3)
    }

    @Test(arguments: transcripts)
    func replay(path: String) async throws {
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.isEmpty }
        let pipes = InProcessPipes()
        defer { pipes.close() }
        var logger = Logger(label: "replay")
        logger.logLevel = .critical
        let connection = Connection(output: pipes.toClientWriter, logger: logger)
        let server = LanguageServer(connection: connection, logger: logger, onExit: { _ in })
        Task { await connection.run(input: pipes.toServer, handler: server) }
        var framer = MessageFramer()
        var iterator = pipes.toClient.makeAsyncIterator()
        func nextMessage() async throws -> JSONValue {
            while true {
                if case .message(let body)? = framer.next() { return try JSONValue.parse(body) }
                guard let chunk = await iterator.next() else { throw TimedOut(what: "a server message") }
                framer.append(chunk)
            }
        }
        for (number, line) in lines.enumerated() {
            let step = try JSONValue.parse(String(line))
            if let message = step["send"] {
                pipes.toServerWriter(MessageFramer.frame(message.serializedBytes()))
            } else if let raw = step["sendRaw"]?.stringValue {
                pipes.toServerWriter(MessageFramer.frame(Array(raw.utf8)))
            } else if let pattern = step["expect"] {
                let message = try await nextMessage()
                #expect(matches(message, pattern), "\(path):\(number + 1): got \(message)")
            } else {
                Issue.record("\(path):\(number + 1): unknown step \(step)")
            }
        }
    }
}

/// `value` matches `pattern` when every key of a pattern object matches, arrays match element by
/// element with the same length, and scalars are equal.
func matches(_ value: JSONValue, _ pattern: JSONValue) -> Bool {
    switch (value, pattern) {
    case (.object(let members), .object(let wanted)):
        return wanted.allSatisfy { key, sub in members[key].map { matches($0, sub) } ?? false }
    case (.array(let elements), .array(let wanted)):
        return elements.count == wanted.count && zip(elements, wanted).allSatisfy { matches($0, $1) }
    default:
        return value == pattern || (value.doubleValue != nil && value.doubleValue == pattern.doubleValue)
    }
}
