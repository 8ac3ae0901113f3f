import Foundation
import JSON
import JSONRPC
import LSPTestSupport
import Synchronization

/// The real `selfmoa-lsp` over real pipes, spoken to in raw bytes.
///
/// Unlike `BinaryServer` there is no client on the other end: whatever the test writes goes to
/// the server as is (from a writer thread, so a 50 MB write cannot block the test), every frame
/// the server writes is kept in order and counted by id, nothing answers the server's own
/// requests unless the test does, and anything on stdout that is not a whole frame of JSON is
/// remembered as garbage.
final class RawServer: Sendable {
    let process: Process
    private let stdin: FileHandle
    private let writer = DispatchQueue(label: "raw-server-writer")
    private let inbox = Inbox()
    private func locked<T>(_ body: (inout State) -> T) -> T { inbox.state.withLock { body(&$0) } }

    /// What the reader thread fills in; a class of its own so the thread does not keep the
    /// server (whose `deinit` stops the process) alive.
    private final class Inbox: Sendable {
        let state = Mutex(State())
    }
    let stderr = RawLog()

    fileprivate struct State {
        var framer = MessageFramer()
        var frames: [JSONValue] = []
        var replies: [JSONValue: [JSONValue]] = [:]
        var stdoutBytes = 0
        var framedBytes = 0
        var garbage: [String] = []
        var closed = false
    }

    init(arguments: [String] = ["--log-level", "debug"], environment: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: BinaryServer.binaryPath)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SELFMOA_BACKEND_URL")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        stdin = input.fileHandleForWriting
        try process.run()
        let inbox = self.inbox
        let stdoutFD = output.fileHandleForReading.fileDescriptor
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(stdoutFD, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                inbox.state.withLock { $0.receive(buffer[0..<count]) }
            }
            inbox.state.withLock { state in
                if state.framedBytes != state.stdoutBytes {
                    state.garbage.append("stdout ended with \(state.stdoutBytes - state.framedBytes) bytes outside whole frames")
                }
                state.closed = true
            }
        }
        let log = stderr
        let stderrFD = errors.fileHandleForReading.fileDescriptor
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(stderrFD, $0.baseAddress, $0.count) }
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                log.append(Array(buffer[0..<count]))
            }
        }
    }

    deinit {
        if process.isRunning { process.terminate() }
    }

    // MARK: Sending

    /// Writes bytes to the server's stdin as they are.
    func sendRaw(_ bytes: [UInt8]) {
        let handle = stdin
        writer.async { try? handle.write(contentsOf: bytes) }
    }

    /// Writes one framed body.
    func sendFramed(_ body: [UInt8]) { sendRaw(MessageFramer.frame(body)) }
    func sendFramed(_ body: String) { sendFramed(Array(body.utf8)) }

    /// Sends a message (any JSON) in a frame.
    func send(_ message: JSONValue) { sendFramed(message.serializedBytes()) }

    func request(_ id: JSONValue, _ method: String, _ params: JSONValue? = nil) {
        var message: [String: JSONValue] = ["jsonrpc": "2.0", "id": id, "method": .string(method)]
        if let params { message["params"] = params }
        send(.object(message))
    }

    func notify(_ method: String, _ params: JSONValue? = nil) {
        var message: [String: JSONValue] = ["jsonrpc": "2.0", "method": .string(method)]
        if let params { message["params"] = params }
        send(.object(message))
    }

    /// Waits until everything queued so far has been written to the pipe.
    func flush() async {
        await withCheckedContinuation { continuation in writer.async { continuation.resume() } }
    }

    /// Closes the server's stdin (after the queued writes).
    func closeInput() {
        let handle = stdin
        writer.async { try? handle.close() }
    }

    // MARK: Reading

    /// Every frame the server wrote, in order.
    var frames: [JSONValue] { locked { $0.frames } }

    /// Replies (frames with an id and no method) by id, `null` included.
    var replies: [JSONValue: [JSONValue]] { locked { $0.replies } }

    /// What on stdout was not a whole frame of JSON (must stay empty). Complete once stdout has
    /// closed: then it also reports bytes outside frames that the framer skipped silently.
    var garbage: [String] { locked { $0.garbage } }

    /// `true` once the server's stdout has closed (the process ended).
    var stdoutClosed: Bool { locked { $0.closed } }

    var stdoutByteCount: Int { locked { $0.stdoutBytes } }

    /// How long a wait may last before the test calls it a hang: generous, because a debug
    /// build on a loaded machine is slow (a 50 MB document takes tens of seconds), and a
    /// correct server never comes near it.
    static let hangGuard: Double = 180

    /// Waits until `condition` holds for the frames received so far.
    func wait(
        for what: String, timeout: Double = hangGuard,
        until condition: @escaping @Sendable (_ frames: [JSONValue], _ replies: [JSONValue: [JSONValue]]) -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while true {
            let done = locked { condition($0.frames, $0.replies) }
            if done { return }
            if ContinuousClock.now > deadline { throw TimedOut(what: what) }
            if !process.isRunning && locked({ $0.closed }) {
                throw TimedOut(what: "\(what) (the server exited with \(process.terminationStatus))")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// The one reply to `id`, once it came.
    func reply(to id: JSONValue, timeout: Double = hangGuard) async throws -> JSONValue {
        try await wait(for: "a reply to \(id.serialized())", timeout: timeout) { _, replies in replies[id] != nil }
        return replies[id]![0]
    }

    /// The number of replies to `id: null` so far.
    var nullReplyCount: Int { replies[.null]?.count ?? 0 }

    /// Waits for the `count`-th reply to `id: null` and returns it.
    func nullReply(number count: Int, timeout: Double = hangGuard) async throws -> JSONValue {
        try await wait(for: "reply #\(count) to id null", timeout: timeout) { _, replies in (replies[.null]?.count ?? 0) >= count }
        return replies[.null]![count - 1]
    }

    /// Waits until stderr contains `text`.
    func waitForLog(_ text: String, timeout: Double = 10) async throws {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while !stderr.text.contains(text) {
            if ContinuousClock.now > deadline { throw TimedOut(what: "\"\(text)\" in the server's log") }
            try await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Waits for the process to end and returns its exit status.
    func waitForExit(timeout: Double = 20) async throws -> Int32 {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                throw TimedOut(what: "selfmoa-lsp to exit")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        return process.terminationStatus
    }

    // MARK: Process

    /// The server's resident set size in KiB (`VmRSS` in `/proc/<pid>/status`).
    var residentKiB: Int? { procStatus("VmRSS") }

    /// The server's thread count (`Threads` in `/proc/<pid>/status`).
    var threads: Int? { procStatus("Threads") }

    private func procStatus(_ key: String) -> Int? {
        guard let text = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8) else {
            return nil
        }
        for line in text.split(separator: "\n") where line.hasPrefix(key + ":") {
            return Int(line.dropFirst(key.count + 1).split(whereSeparator: { $0 == " " || $0 == "\t" }).first ?? "")
        }
        return nil
    }
}

extension RawServer.State {
    mutating func receive(_ chunk: ArraySlice<UInt8>) {
        stdoutBytes += chunk.count
        framer.append(chunk)
        while let event = framer.next() {
            switch event {
            case .skipped(let reason):
                garbage.append("stdout: \(reason)")
            case .message(let body):
                framedBytes += MessageFramer.frame(body).count
                guard let value = try? JSONValue.parse(body) else {
                    garbage.append("stdout frame is not JSON: \(String(decoding: body.prefix(200), as: UTF8.self))")
                    continue
                }
                frames.append(value)
                if value["method"] == nil, let id = value["id"] {
                    replies[id, default: []].append(value)
                }
            }
        }
    }
}
