import Foundation
import JSON

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

    /// The first example that did not give its expected output.
    public struct ExampleFailure: Sendable, Hashable {
        /// The example's code, without its `>>>` prompt.
        public var source: String
        /// The output the docstring states.
        public var expected: String
        /// What the program printed instead, or `raises …` with the exception.
        public var got: String

        public init(source: String, expected: String, got: String) {
            self.source = source
            self.expected = expected
            self.got = got
        }
    }

    /// A run's outcome and, when an example failed, the first one that did.
    public struct Report: Sendable, Hashable {
        public var outcome: Outcome
        /// Set only when `outcome` is `.ran` with fewer passed than run.
        public var firstFailure: ExampleFailure?
    }

    /// Runs `examples` (doctest syntax) against the module `program`, executed under the name
    /// `__selfmoa_check__` so its `if __name__ == "__main__"` block stays quiet.
    public func run(program: String, examples: String) async -> Outcome {
        await report(program: program, examples: examples).outcome
    }

    /// `run`, also saying which example failed first (what a repair request shows the model).
    public func report(program: String, examples: String) async -> Report {
        let (outcome, failure) = await execute(program: program, examples: examples)
        return Report(outcome: outcome, firstFailure: failure)
    }

    private func execute(program: String, examples: String) async -> (Outcome, ExampleFailure?) {
        let support = await SandboxSupport.probe(bwrap: bwrap)
        guard let boundary = support.bubblewrap else {
            return (.unavailable(SandboxSupport.unavailableMessage(support.isolationFailure)), nil)
        }
        guard let interpreter = python ?? support.python else { return (.unavailable("python3 not found on PATH"), nil) }
        let directory: String
        do {
            directory = try Scratch.directory(prefix: "selfmoa-doctest-")
        } catch {
            return (.unavailable("cannot create a temporary directory: \(error)"), nil)
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
                return (.unavailable("cannot write \(name) to \(directory)"), nil)
            }
        }
        let inside = ["PATH": "/usr/bin:/bin", "HOME": directory, "TMPDIR": directory, "LANG": "C.UTF-8"]
        let outcome = await ToolProcess(
            executable: boundary.executable,
            arguments: boundary.arguments(scratch: directory, environment: inside, command: [interpreter, "-I", "-S", "-B", "runner.py"]),
            environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"],
            workingDirectory: directory, timeout: timeout
        ).run()
        if let failure = outcome.launchFailure { return (.unavailable("the sandbox could not run: \(failure)"), nil) }
        if outcome.timedOut { return (.timedOut, nil) }
        let printed = outcome.stdout.split(whereSeparator: \.isNewline)
        let words = (printed.last ?? "").split(separator: " ")
        if words.count == 4, words[0] == "EXAMPLES", words[2] == "of", let passed = Int(words[1]), let total = Int(words[3]) {
            let failure = printed.dropLast().last.flatMap { Self.failure(fromLine: String($0)) }
            return (.ran(passed: passed, total: total), passed < total ? failure : nil)
        }
        if outcome.status == 128 + SIGXCPU || outcome.status == 128 + SIGKILL { return (.timedOut, nil) }
        return (.crashed(outcome.lastLine()), nil)
    }

    /// Reads the runner's `FIRST-FAILURE [source, expected, got]` line.
    static func failure(fromLine line: String) -> ExampleFailure? {
        let marker = "FIRST-FAILURE "
        guard line.hasPrefix(marker),
              let parts = (try? JSONValue.parse(Array(line.dropFirst(marker.count).utf8)))?.arrayValue?.compactMap(\.stringValue),
              parts.count == 3
        else { return nil }
        return ExampleFailure(source: parts[0], expected: parts[1], got: parts[2])
    }
}
