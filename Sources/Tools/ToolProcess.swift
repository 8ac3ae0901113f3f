import Foundation
import Subprocess
import Synchronization
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs a command-line tool to its end or its time limit: text on stdin, output captured up to a
/// limit, a clean environment, a working directory of the caller's choosing.
///
/// Runs on swift-subprocess: the process is spawned, its pipes read and its exit awaited with
/// asynchronous I/O, so no thread of Swift's cooperative pool ever blocks on it. The process
/// leads a process group of its own; at the time limit the whole group is killed with SIGKILL
/// (so are the process's children that stayed in it). Cancelling the calling task kills it too.
/// A tool that cannot be started is a `launchFailure` in the outcome, never a thrown error.
public struct ToolProcess: Sendable {
    /// How a run ended.
    public struct Outcome: Sendable, Hashable {
        /// The exit status; for a killed process 128 + the signal.
        public var status: Int32
        public var stdout: String
        public var stderr: String
        /// Killed at the time limit.
        public var timedOut: Bool
        /// The process could not be started (the tool is missing or not executable).
        public var launchFailure: String?

        public init(status: Int32, stdout: String, stderr: String, timedOut: Bool, launchFailure: String? = nil) {
            self.status = status
            self.stdout = stdout
            self.stderr = stderr
            self.timedOut = timedOut
            self.launchFailure = launchFailure
        }

        /// Started, not killed at the limit, and exited with status 0.
        public var succeeded: Bool { launchFailure == nil && !timedOut && status == 0 }

        /// The last non-empty line of stderr (else stdout), cut to `limit` characters.
        public func lastLine(limit: Int = 200) -> String {
            let lines = (stderr + "\n" + stdout).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            return String((lines.last { !$0.isEmpty } ?? "exit status \(status)").prefix(limit))
        }
    }

    public var executable: String
    public var arguments: [String]
    public var input: String
    /// The whole environment of the process; `nil`: this process's.
    public var environment: [String: String]?
    public var workingDirectory: String?
    public var timeout: Duration
    /// Output kept per stream, in bytes (the rest is read and dropped).
    public var outputLimit: Int

    public init(
        executable: String, arguments: [String], input: String = "", environment: [String: String]? = nil,
        workingDirectory: String? = nil, timeout: Duration = .seconds(10), outputLimit: Int = 64 * 1024
    ) {
        self.executable = executable
        self.arguments = arguments
        self.input = input
        self.environment = environment
        self.workingDirectory = workingDirectory
        self.timeout = timeout
        self.outputLimit = outputLimit
    }

    /// Runs the process to its end, its time limit or the caller's cancellation.
    public func run() async -> Outcome {
        _ = Self.ignoringBrokenPipes
        var platformOptions = PlatformOptions()
        platformOptions.processGroupID = 0  // a group of its own, so the time limit kills its children too
        let options = platformOptions
        let state = RunState()
        let limit = outputLimit, input = Array(input.utf8), timeout = timeout
        return await withTaskGroup(of: Outcome?.self) { group in
            group.addTask {
                do {
                    let result = try await Subprocess.run(
                        .path(FilePath(executable)), arguments: Arguments(arguments), environment: subprocessEnvironment,
                        workingDirectory: workingDirectory.map { FilePath($0) }, platformOptions: options,
                        input: .inputWriter, output: .sequence, error: .sequence
                    ) { execution in
                        state.pid.withLock { $0 = execution.processIdentifier.value }
                        return await withTaskGroup(of: (Bool, [UInt8]).self) { streams in
                            streams.addTask {
                                // A process that exits without reading its input closes the pipe: that is fine.
                                _ = try? await execution.standardInputWriter.write(input)
                                try? await execution.standardInputWriter.finish()
                                return (false, [])
                            }
                            streams.addTask { (true, await Self.collect(execution.standardOutput, limit: limit)) }
                            streams.addTask { (false, await Self.collect(execution.standardError, limit: limit)) }
                            var out: [UInt8] = [], err: [UInt8] = []
                            for await (isOut, bytes) in streams where !bytes.isEmpty {
                                if isOut { out = bytes } else { err = bytes }
                            }
                            return (out, err)
                        }
                    }
                    let status: Int32 = switch result.terminationStatus {
                    case .exited(let code): code
                    case .signaled(let signal): 128 + signal
                    }
                    let (out, err) = result.closureResult
                    return Outcome(
                        status: status, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self),
                        timedOut: state.killed.withLock { $0 }
                    )
                } catch {
                    if Task.isCancelled {
                        return Outcome(status: 128 + SIGKILL, stdout: "", stderr: "", timedOut: false, launchFailure: "cancelled")
                    }
                    return Outcome(status: -1, stdout: "", stderr: "", timedOut: false, launchFailure: "\(error)")
                }
            }
            group.addTask {
                // The wall clock: kill the process group at the limit.
                guard (try? await Task.sleep(for: timeout)) != nil else { return nil }
                var pid = state.pid.withLock { $0 }
                while pid == nil, (try? await Task.sleep(for: .milliseconds(20))) != nil { pid = state.pid.withLock { $0 } }
                guard let pid else { return nil }
                state.killed.withLock { $0 = true }
                kill(-pid, SIGKILL)
                kill(pid, SIGKILL)
                return nil
            }
            var outcome: Outcome?
            for await result in group {
                if let result {
                    outcome = result
                    group.cancelAll()
                }
            }
            return outcome!
        }
    }

    /// What the run and its timer share: the pid once started, and whether the timer killed it.
    private final class RunState: Sendable {
        let pid = Mutex<Int32?>(nil)
        let killed = Mutex(false)
    }

    private var subprocessEnvironment: Subprocess.Environment {
        guard let environment else { return .inherit }
        var keyed: [Subprocess.Environment.Key: String] = [:]
        for (name, value) in environment {
            if let key = Subprocess.Environment.Key(rawValue: name) { keyed[key] = value }
        }
        return .custom(keyed)
    }

    /// Reads `stream` to its end, keeping the first `limit` bytes.
    private static func collect(_ stream: SubprocessOutputSequence, limit: Int) async -> [UInt8] {
        var kept: [UInt8] = []
        do {
            for try await buffer in stream where kept.count < limit {
                buffer.withUnsafeBytes { kept.append(contentsOf: $0.prefix(limit - kept.count)) }
            }
        } catch {
            // Reading stopped (the process ended and its children kept the pipe, or we were
            // cancelled): what was read is the output.
        }
        return kept
    }

    /// A write to a pipe whose reader exited raises SIGPIPE, which would end this process.
    private static let ignoringBrokenPipes: Void = { signal(SIGPIPE, SIG_IGN) }()

    /// The executable named `name` on `PATH` (or `name` itself when it is a path), if any.
    public static func find(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
