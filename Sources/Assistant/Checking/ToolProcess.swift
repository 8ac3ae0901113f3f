import Foundation

/// Runs a command-line tool to its end or its time limit: text on stdin, output captured, a clean
/// environment, a working directory of the caller's choosing.
///
/// Blocking work (waiting for the process, reading its pipes) happens on dispatch threads, never on
/// the cooperative pool. On the time limit the process (and its process group, when it leads one)
/// is killed with SIGKILL.
struct ToolProcess: Sendable {
    /// How a run ended.
    struct Outcome: Sendable, Hashable {
        /// The exit status; for a killed process 128 + the signal.
        var status: Int32
        var stdout: String
        var stderr: String
        /// Killed at the time limit.
        var timedOut: Bool
        /// The process could not be started (the tool is missing or not executable).
        var launchFailure: String?

        var succeeded: Bool { launchFailure == nil && !timedOut && status == 0 }

        /// The last non-empty line of stderr (else stdout), cut to `limit` characters.
        func lastLine(limit: Int = 200) -> String {
            let lines = (stderr + "\n" + stdout).split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
            return String((lines.last { !$0.isEmpty } ?? "exit status \(status)").prefix(limit))
        }
    }

    var executable: String
    var arguments: [String]
    var input: String = ""
    var environment: [String: String]?
    var workingDirectory: String?
    var timeout: Duration = .seconds(10)
    /// Output kept per stream, in bytes.
    var outputLimit = 64 * 1024

    /// Runs the process. Its waits block dedicated threads, never a shared queue: on Linux the
    /// global dispatch queues are also where Swift's cooperative pool runs, so blocking them
    /// (with as many threads as cores) would stall every task in the process.
    func run() async -> Outcome {
        await withCheckedContinuation { continuation in
            Self.detach { continuation.resume(returning: runBlocking()) }
        }
    }

    /// Runs `body` on a new thread of its own.
    private static func detach(_ body: @escaping @Sendable () -> Void) {
        let thread = Thread { body() }
        thread.stackSize = 512 * 1024
        thread.start()
    }

    private func runBlocking() -> Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let workingDirectory { process.currentDirectoryURL = URL(fileURLWithPath: workingDirectory) }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        do {
            try process.run()
        } catch {
            return Outcome(status: -1, stdout: "", stderr: "", timedOut: false, launchFailure: "\(error)")
        }
        let pid = process.processIdentifier
        let limit = outputLimit
        let group = DispatchGroup()
        let out = Collected(), err = Collected()
        for (pipe, sink) in [(stdout, out), (stderr, err)] {
            group.enter()
            let reading = pipe.fileHandleForReading
            Self.detach {
                sink.read(reading, limit: limit)
                group.leave()
            }
        }
        let writing = stdin.fileHandleForWriting
        let bytes = Data(input.utf8)
        Self.detach {
            // A process that exits without reading its input closes the pipe: ignore EPIPE.
            signal(SIGPIPE, SIG_IGN)
            try? writing.write(contentsOf: bytes)
            try? writing.close()
        }
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        var timedOut = false
        if finished.wait(timeout: .now() + seconds) == .timedOut {
            timedOut = true
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            finished.wait()
        }
        // Grandchildren holding the pipes open must not hang us: give the readers a moment.
        if group.wait(timeout: .now() + 2) == .timedOut {
            try? stdout.fileHandleForReading.close()
            try? stderr.fileHandleForReading.close()
        }
        let status = process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
        return Outcome(status: status, stdout: out.text, stderr: err.text, timedOut: timedOut, launchFailure: nil)
    }

    /// The executable named `name` on `PATH` (or `name` itself when it is a path), if any.
    static func find(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        for directory in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// A stream's output, read to its end but kept only up to a limit.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func read(_ handle: FileHandle, limit: Int) {
        while true {
            let chunk = handle.availableData
            if chunk.isEmpty { return }
            lock.lock()
            if data.count < limit { data.append(chunk.prefix(limit - data.count)) }
            lock.unlock()
        }
    }

    var text: String {
        lock.lock()
        defer { lock.unlock() }
        return String(decoding: data, as: UTF8.self)
    }
}
