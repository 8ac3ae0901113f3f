import Foundation
import JSON
import JSONRPC

/// The real `selfmoa-lsp` binary started over real pipes, with a `TestClient` on the other end.
public final class BinaryServer: Sendable {
    public let process: Process
    public let client: TestClient
    private let stdinPipe: Pipe
    private let stderrPipe: Pipe
    /// Every byte the server wrote to stdout, to check it carried protocol frames only.
    public let rawStdout: RawLog

    /// The repository root, found from this source file.
    public static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url
    }()

    /// The binary under test: `$SELFMOA_LSP`, else the debug build.
    public static var binaryPath: String {
        ProcessInfo.processInfo.environment["SELFMOA_LSP"]
            ?? repositoryRoot.appendingPathComponent(".build/debug/selfmoa-lsp").path
    }

    public init(arguments: [String] = [], environment: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binaryPath)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "SELFMOA_BACKEND_URL")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        stdinPipe = Pipe()
        let stdoutPipe = Pipe()
        stderrPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        let writeHandle = stdinPipe.fileHandleForWriting
        let writer = StandardStreams.output(fileDescriptor: writeHandle.fileDescriptor)
        client = TestClient(output: writer)
        let raw = RawLog()
        rawStdout = raw
        stderrLog = RawLog()
        try process.run()
        let input = StandardStreams.input(fileDescriptor: stdoutPipe.fileHandleForReading.fileDescriptor)
        let recorded = AsyncStream<[UInt8]> { continuation in
            Task {
                for await chunk in input {
                    raw.append(chunk)
                    continuation.yield(chunk)
                }
                continuation.finish()
            }
        }
        let client = self.client
        Task { await client.connection.run(input: recorded, handler: client) }
        // Read stderr on its own thread (not the cooperative pool, which blocking reads starve).
        let errLog = stderrLog
        let errors = StandardStreams.input(fileDescriptor: stderrPipe.fileHandleForReading.fileDescriptor)
        Task { for await chunk in errors { errLog.append(chunk) } }
    }

    /// What the server logged to stderr so far.
    public let stderrLog: RawLog

    /// Sends raw bytes (for malformed input tests).
    public func sendRaw(_ bytes: [UInt8]) {
        stdinPipe.fileHandleForWriting.write(Data(bytes))
    }

    /// Closes the server's stdin.
    public func closeInput() {
        try? stdinPipe.fileHandleForWriting.close()
    }

    /// Waits for the process to exit (up to `timeout` seconds) and returns its status.
    public func waitForExit(timeout: Double = 20) async throws -> Int32 {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                throw TimedOut(what: "selfmoa-lsp to exit")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return process.terminationStatus
    }

    deinit {
        if process.isRunning { process.terminate() }
    }
}

/// A thread-safe byte log.
public final class RawLog: @unchecked Sendable {
    private let lock = NSLock()
    private var bytes: [UInt8] = []
    public init() {}
    public func append(_ chunk: [UInt8]) { lock.lock(); bytes += chunk; lock.unlock() }
    public var contents: [UInt8] { lock.lock(); defer { lock.unlock() }; return bytes }
    public var text: String { String(decoding: contents, as: UTF8.self) }
}

/// Splits a byte stream into frames; `nil` when something other than whole frames is present.
public func framesOnly(_ bytes: [UInt8]) -> [JSONValue]? {
    var framer = MessageFramer()
    framer.append(bytes)
    var values: [JSONValue] = []
    var consumed = 0
    while let event = framer.next() {
        guard case .message(let body) = event, let value = try? JSONValue.parse(body) else { return nil }
        values.append(value)
        consumed += MessageFramer.frame(body).count
    }
    return consumed == bytes.count ? values : nil
}
