import Foundation

/// Runs a Python program's doctest examples (`>>>` lines and their expected output) against it in
/// a sandboxed subprocess, and says how many passed.
///
/// Each run gets a fresh private temporary directory as its working directory (and `HOME`,
/// `TMPDIR`), holding only the program and the examples — never the user's files — and removed
/// afterwards. The containment, in layers:
///
/// - **Isolation boundary**: the interpreter runs inside bubblewrap (`Bubblewrap`): the
///   filesystem read-only except that directory and a private `/tmp`, no network, its own PID
///   namespace (no host process visible), no capabilities, killed with its parent. Where
///   `bwrap` is missing or cannot create namespaces the outcome is `.unavailable` with what to
///   install: examples never run outside the boundary.
/// - **Limits** set by a small Python prelude before the program runs: address space
///   (`memoryBytes`), CPU seconds, file size (1 MiB), open files (64), no core dumps; and a
///   wall-clock limit enforced from outside with SIGKILL.
/// - **Audit hook** (PEP 578; it cannot be removed from Python code), defence in depth: refuses
///   writes, renames, deletions and permission changes outside the temporary directory,
///   starting processes (`subprocess`, `os.system`, `exec*`, `fork`, `posix_spawn`), signals,
///   sockets and `ctypes`. `python3 -I -S` ignores the user's site packages and environment.
///
/// The boundary contains native code too (an extension module, `ctypes` past the hook); what it
/// does not hide is reading files the user can read — there is no network to send them on.
public struct DoctestSandbox: Sendable {
    /// How a run ended.
    public enum Outcome: Sendable, Hashable {
        /// `passed` of `total` examples gave their expected output.
        case ran(passed: Int, total: Int)
        /// The program itself failed before the examples ran (an exception, a limit); the reason.
        case crashed(String)
        /// Killed at the wall-clock limit.
        case timedOut
        /// No Python here, or the sandbox could not be set up; the reason.
        case unavailable(String)
    }

    /// Wall-clock seconds per run (also the CPU limit).
    public var timeout: Duration
    /// The address-space limit of the interpreter.
    public var memoryBytes: Int
    /// The interpreter; `nil`: `python3` on `PATH`, resolved to the real executable once.
    public var python: String?
    /// bubblewrap: a name looked up on `PATH` or a path.
    public var bwrap: String

    public init(
        timeout: Duration = .seconds(10), memoryBytes: Int = 512 << 20, python: String? = nil,
        bwrap: String = SandboxSupport.defaultBubblewrap
    ) {
        self.timeout = timeout
        self.memoryBytes = memoryBytes
        self.python = python
        self.bwrap = bwrap
    }

    /// Runs `examples` (doctest syntax) against the module `program`, executed under the name
    /// `__selfmoa_check__` so its `if __name__ == "__main__"` block stays quiet.
    public func run(program: String, examples: String) async -> Outcome {
        let support = await SandboxSupport.probe(bwrap: bwrap)
        guard let boundary = support.bubblewrap else {
            return .unavailable(SandboxSupport.unavailableMessage(support.isolationFailure))
        }
        guard let interpreter = python ?? support.python else { return .unavailable("python3 not found on PATH") }
        let directory: String
        do {
            directory = try Scratch.directory(prefix: "selfmoa-doctest-")
        } catch {
            return .unavailable("cannot create a temporary directory: \(error)")
        }
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let seconds = max(Int(timeout.components.seconds), 1)
        let files = [
            ("runner.py", Self.runner(cpuSeconds: seconds, memoryBytes: memoryBytes)),
            ("candidate.py", program),
            ("examples.txt", examples),
        ]
        for (name, text) in files {
            guard FileManager.default.createFile(atPath: directory + "/" + name, contents: Data(text.utf8)) else {
                return .unavailable("cannot write \(name) to \(directory)")
            }
        }
        let inside = ["PATH": "/usr/bin:/bin", "HOME": directory, "TMPDIR": directory, "LANG": "C.UTF-8"]
        let outcome = await ToolProcess(
            executable: boundary.executable,
            arguments: boundary.arguments(scratch: directory, environment: inside, command: [interpreter, "-I", "-S", "-B", "runner.py"]),
            environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"],
            workingDirectory: directory, timeout: timeout
        ).run()
        if let failure = outcome.launchFailure { return .unavailable("the sandbox could not run: \(failure)") }
        if outcome.timedOut { return .timedOut }
        let last = outcome.stdout.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        let words = last.split(separator: " ")
        if words.count == 4, words[0] == "EXAMPLES", words[2] == "of", let passed = Int(words[1]), let total = Int(words[3]) {
            return .ran(passed: passed, total: total)
        }
        if outcome.status == 128 + SIGXCPU || outcome.status == 128 + SIGKILL { return .timedOut }
        return .crashed(outcome.lastLine())
    }
}
