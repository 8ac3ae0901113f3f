import Foundation

/// Runs a Python program's doctest examples (`>>>` lines and their expected output) against it in
/// a sandboxed subprocess, and says how many passed.
///
/// Each run gets a fresh private temporary directory as its working directory (and `HOME`,
/// `TMPDIR`), holding only the program and the examples — never the user's files — and removed
/// afterwards. The containment, in layers:
///
/// - **Network**: the interpreter runs under `unshare -rn` (a new user and network namespace: no
///   interfaces but loopback) when this machine allows it — probed once. Where it does not, the
///   audit hook below still refuses to create sockets; `SandboxSupport.isolatedNetwork` says
///   which applies.
/// - **Limits** set by a small Python prelude before the program runs: address space
///   (`memoryBytes`), CPU seconds, file size (1 MiB), open files (64), no core dumps; and a
///   wall-clock limit enforced from outside with SIGKILL.
/// - **Files and processes**: an audit hook (PEP 578; it cannot be removed from Python code)
///   refuses writes, renames, deletions and permission changes outside the temporary directory,
///   starting processes (`subprocess`, `os.system`, `exec*`, `fork`, `posix_spawn`), signals,
///   sockets and `ctypes`. `python3 -I` ignores the user's site packages and environment.
///
/// This contains accidents and careless code — an infinite loop, a huge allocation, a stray
/// `open(path, "w")` — not a determined attacker with native code; it is why running examples
/// is an opt-in setting.
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

    public init(timeout: Duration = .seconds(10), memoryBytes: Int = 512 << 20, python: String? = nil) {
        self.timeout = timeout
        self.memoryBytes = memoryBytes
        self.python = python
    }

    /// Runs `examples` (doctest syntax) against the module `program`, executed under the name
    /// `__selfmoa_check__` so its `if __name__ == "__main__"` block stays quiet.
    public func run(program: String, examples: String) async -> Outcome {
        let support = await SandboxSupport.probe()
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
        var executable = interpreter
        var arguments = ["-I", "-S", "-B", "runner.py"]
        if let unshare = support.unshare {
            executable = unshare
            arguments = ["-rn", interpreter] + arguments
        }
        let outcome = await ToolProcess(
            executable: executable, arguments: arguments,
            environment: ["PATH": "/usr/bin:/bin", "HOME": directory, "TMPDIR": directory, "LANG": "C.UTF-8"],
            workingDirectory: directory, timeout: timeout
        ).run()
        if let failure = outcome.launchFailure { return .unavailable("python could not run: \(failure)") }
        if outcome.timedOut { return .timedOut }
        let last = outcome.stdout.split(whereSeparator: \.isNewline).last.map(String.init) ?? ""
        let words = last.split(separator: " ")
        if words.count == 4, words[0] == "EXAMPLES", words[2] == "of", let passed = Int(words[1]), let total = Int(words[3]) {
            return .ran(passed: passed, total: total)
        }
        if outcome.status == 128 + SIGXCPU || outcome.status == 128 + SIGKILL { return .timedOut }
        return .crashed(outcome.lastLine())
    }

    /// The prelude: limits, the audit hook, then the program and its examples. Prints
    /// `EXAMPLES passed of total` as its last line when the examples ran.
    static func runner(cpuSeconds: Int, memoryBytes: Int) -> String {
        """
        import os, sys, resource
        TMP = os.path.realpath(os.getcwd())

        def limit(kind, value):
            try:
                resource.setrlimit(kind, (value, value))
            except (ValueError, OSError):
                pass

        limit(resource.RLIMIT_AS, \(memoryBytes))
        limit(resource.RLIMIT_CPU, \(cpuSeconds))
        limit(resource.RLIMIT_FSIZE, 1 << 20)
        limit(resource.RLIMIT_NOFILE, 64)
        limit(resource.RLIMIT_CORE, 0)

        import doctest, io
        source = open("candidate.py", encoding="utf-8").read()
        examples = open("examples.txt", encoding="utf-8").read()

        def inside(path):
            if isinstance(path, int):
                return True
            if isinstance(path, bytes):
                path = os.fsdecode(path)
            real = os.path.realpath(os.path.join(TMP, path))
            return real == TMP or real.startswith(TMP + os.sep)

        WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
        PATH_EVENTS = {
            "os.remove", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.truncate", "os.utime",
            "os.chflags", "os.lchflags", "os.setxattr", "os.removexattr", "shutil.rmtree", "shutil.chown",
        }
        TWO_PATH_EVENTS = {"os.rename", "os.link", "os.symlink", "shutil.move", "shutil.copyfile", "shutil.copytree"}
        BLOCKED = {
            "subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty",
            "os.kill", "os.killpg", "pty.spawn", "os.startfile", "sys.remote_exec",
        }
        BLOCKED_MODULES = {"ctypes", "_ctypes", "cffi"}

        def refuse(event):
            raise PermissionError("blocked by the sandbox: " + event)

        def hook(event, args):
            if event == "open":
                path, mode, flags = (list(args) + [None, None, None])[:3]
                writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                    isinstance(flags, int) and flags & WRITE_FLAGS)
                if writing and path is not None and not inside(path):
                    refuse("write outside the temporary directory")
            elif event in PATH_EVENTS:
                if args and not inside(args[0]):
                    refuse(event + " outside the temporary directory")
            elif event in TWO_PATH_EVENTS:
                if not all(inside(a) for a in args[:2] if isinstance(a, (str, bytes, int))):
                    refuse(event + " outside the temporary directory")
            elif event in BLOCKED or event.startswith("socket.") or event.startswith("ctypes."):
                refuse(event)
            elif event == "import" and args and args[0] in BLOCKED_MODULES:
                refuse("import " + args[0])

        sys.addaudithook(hook)
        module = {"__name__": "__selfmoa_check__", "__builtins__": __builtins__}
        exec(compile(source, "candidate.py", "exec"), module)
        test = doctest.DocTestParser().get_doctest(examples, module, "examples", "examples.txt", 0)
        runner = doctest.DocTestRunner(verbose=False, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        report = io.StringIO()
        result = runner.run(test, out=report.write, clear_globs=False)
        sys.stderr.write(report.getvalue()[-2000:])
        print("EXAMPLES %d of %d" % (result.attempted - result.failed, result.attempted))
        """
    }
}

/// What this machine offers the sandbox, probed once per process.
public struct SandboxSupport: Sendable, Hashable {
    /// The real Python executable (`sys.executable` of `python3` on `PATH`), if any.
    public var python: String?
    /// `unshare`, when `unshare -rn true` works here (unprivileged user namespaces, or root).
    public var unshare: String?
    /// The network is cut off by a namespace (else only refused by the audit hook).
    public var isolatedNetwork: Bool { unshare != nil }

    private static let probed = ProbeOnce()

    /// The probe's result; the first call runs it.
    public static func probe() async -> SandboxSupport { await probed.value() }

    fileprivate static func run() async -> SandboxSupport {
        var support = SandboxSupport()
        if let python3 = ToolProcess.find("python3") {
            let outcome = await ToolProcess(
                executable: python3, arguments: ["-c", "import sys; print(sys.executable)"], timeout: .seconds(20)
            ).run()
            let path = outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            if outcome.succeeded, path.hasPrefix("/") { support.python = path }
        }
        if let unshare = ToolProcess.find("unshare") {
            let outcome = await ToolProcess(executable: unshare, arguments: ["-rn", "true"], timeout: .seconds(10)).run()
            if outcome.succeeded { support.unshare = unshare }
        }
        return support
    }
}

private actor ProbeOnce {
    private var task: Task<SandboxSupport, Never>?

    func value() async -> SandboxSupport {
        if let task { return await task.value }
        let task = Task { await SandboxSupport.run() }
        self.task = task
        return await task.value
    }
}
