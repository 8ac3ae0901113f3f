import BackendStandIn
import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing

@testable import ModelBackend

/// Shared helpers of the backend tests.
enum TestSupport {
    /// Runs blocking work (waiting for a process, reading a pipe to its end) on a thread of its
    /// own: on the cooperative pool it would starve every other test of its two threads.
    static func offPool<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let result: Result<T, any Error> = await withCheckedContinuation { continuation in
            Thread.detachNewThread { continuation.resume(returning: Result { try body() }) }
        }
        return try result.get()
    }

    /// `offPool` for work that cannot fail.
    static func offPool(_ body: @escaping @Sendable () -> Void) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread { body(); continuation.resume() }
        }
    }

    /// A logger that writes warnings and worse to stderr.
    static let logger = Logger(label: "selfmoa.tests") { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = .warning
        return handler
    }

    /// Short limits, so faults surface within seconds.
    static let quick = BackendConfiguration.Timeouts(connect: .seconds(2), firstToken: .seconds(2), total: .seconds(4))

    /// Long limits, for tests with no fault injected whose capability probes must answer even on
    /// a machine busy with every other suite (a probe that times out takes the safe path: no
    /// fill-in-the-middle).
    static let patient = BackendConfiguration.Timeouts(connect: .seconds(30), firstToken: .seconds(30), total: .seconds(60))

    /// Runs `body` against a started stand-in, stopping it afterwards.
    static func withStandIn<T>(
        script: StandInScript = StandInScript(),
        faults: [StandInFault] = [],
        requiredAPIKey: String? = nil,
        _ body: (StandInBackend) async throws -> T
    ) async throws -> T {
        let standIn = StandInBackend(script: script, faults: faults, requiredAPIKey: requiredAPIKey)
        try await standIn.start()
        do {
            let result = try await body(standIn)
            await standIn.stop()
            return result
        } catch {
            await standIn.stop()
            throw error
        }
    }

    static func model(
        _ standIn: StandInBackend,
        apiKey: String? = nil,
        apiKeyEnv: String? = nil,
        model: String? = nil,
        contextTokens: Int? = nil,
        timeouts: BackendConfiguration.Timeouts = quick
    ) -> OpenAICompatibleModel {
        OpenAICompatibleModel(
            url: standIn.url,
            apiKey: apiKey,
            apiKeyEnv: apiKeyEnv,
            model: model,
            contextTokens: contextTokens,
            timeouts: timeouts,
            logger: logger
        )
    }

    /// The error `body` throws; records an issue when it returns instead.
    static func error<T>(
        sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> T
    ) async -> ModelBackendError? {
        do {
            let value = try await body()
            Issue.record("expected an error, got \(value)", sourceLocation: sourceLocation)
            return nil
        } catch let error as ModelBackendError {
            return error
        } catch {
            Issue.record("expected a ModelBackendError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
            return nil
        }
    }

    /// Polls `condition` until it holds or `limit` passes.
    static func eventually(within limit: Duration = .seconds(10), _ condition: () async -> Bool) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while clock.now < deadline {
            if await condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return await condition()
    }

    /// The folder with the package's built executables (beside the test bundle).
    static var productsDirectory: URL {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent("selfmoa-standin-backend").path) {
                return directory
            }
            directory.deleteLastPathComponent()
        }
        return URL(fileURLWithPath: executable).deletingLastPathComponent()
    }

    /// A built executable of the package; records an issue naming the build step when missing.
    static func executable(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let path = productsDirectory.appendingPathComponent(name).path
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw TestFailure("\(name) is not built at \(path): run `swift build` before `swift test`")
        }
        return path
    }

    /// A fresh temporary folder.
    static func temporaryDirectory() throws -> String {
        let path = NSTemporaryDirectory() + "selfmoa-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// `true` when `pid` no longer runs (gone, or a zombie waiting to be reaped).
    static func isDead(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        guard let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state == "Z" || state == "X"
    }

    /// `true` when something accepts TCP connections on 127.0.0.1:`port`.
    static func isListening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }
}

/// A test precondition that failed.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A child process whose stdout is read line by line on a thread of its own.
final class RunningProcess: @unchecked Sendable {
    let process = Process()
    private let output = Pipe()
    private let lines = NIOLockedValueBox<[String]>([])
    private let input = Pipe()

    init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = output
        process.standardInput = input
        process.standardError = FileHandle.standardError
        try process.run()
        let handle = output.fileHandleForReading
        let lines = self.lines
        Thread.detachNewThread {
            var pending = Data()
            while true {
                let chunk = handle.availableData
                if chunk.isEmpty { break }
                pending.append(chunk)
                while let newline = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[pending.startIndex..<newline], as: UTF8.self)
                    pending.removeSubrange(pending.startIndex...newline)
                    lines.withLockedValue { $0.append(line) }
                }
            }
        }
    }

    var pid: Int32 { process.processIdentifier }

    /// The first stdout line starting with `prefix`, waiting up to `limit`.
    func line(startingWith prefix: String, within limit: Duration = .seconds(30)) async throws -> String {
        let found = await TestSupport.eventually(within: limit) {
            lines.withLockedValue { $0.contains { $0.hasPrefix(prefix) } }
        }
        guard found, let line = lines.withLockedValue({ $0.first { $0.hasPrefix(prefix) } }) else {
            throw TestFailure("no line starting with '\(prefix)' from \(process.executableURL?.path ?? "?") within \(limit)")
        }
        return line
    }

    func kill(_ signal: Int32) {
        Foundation.kill(pid, signal)
    }

    /// Waits for the process to end, off the cooperative thread pool.
    func waitForExit() async {
        let process = process
        await TestSupport.offPool { process.waitUntilExit() }
    }

    deinit {
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }
}
