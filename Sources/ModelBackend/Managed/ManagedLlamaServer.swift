import Logging
import NIOConcurrencyHelpers

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The embedded `llama-server`, run by this process on demand.
///
/// Started lazily by the first `endpoint()` call: on 127.0.0.1 at a free port, with a random API
/// key (handed to our client only, through the child's environment, never on its command line
/// or in a log), `-np` slots sharing one unified KV cache, and ready once `GET /health` says
/// ok. One owner never runs two servers: concurrent callers share one start.
///
/// If the server dies, the request that noticed reports `.serverCrashed` and the next call starts
/// it again — once; a second crash without a successful call in between is final.
///
/// It dies with us. Besides `shutdown()`, each server has a watchdog: a tiny `sh` that reads a
/// pipe whose write end only this process holds. When this process ends in any way, SIGKILL
/// included, the kernel closes that end, the watchdog's `read` returns, and it terminates the
/// server. The server's output goes to a log file under the cache, never to our stdout.
public actor ManagedLlamaServer {
    /// How to run the server.
    public struct Configuration: Sendable, Hashable {
        /// The `llama-server` binary (or anything that accepts its arguments).
        public var executable: String
        /// Added to `LD_LIBRARY_PATH` so the binary finds its shared libraries.
        public var libraryDirectory: String?
        public var modelPath: String
        public var slots: Int
        public var contextPerSlot: Int
        public var threads: Int?
        public var startTimeout: Duration
        /// Where `<logName>-<our pid>.log` goes.
        public var logDirectory: String
        /// The log's name: `llama-server`, or another where one process runs several servers.
        public var logName: String
        /// Appended to the command line.
        public var extraArguments: [String]

        public init(
            executable: String,
            libraryDirectory: String? = nil,
            modelPath: String,
            slots: Int = 6,
            contextPerSlot: Int = 4096,
            threads: Int? = nil,
            startTimeout: Duration = .seconds(120),
            logDirectory: String,
            logName: String = "llama-server",
            extraArguments: [String] = []
        ) {
            self.executable = executable
            self.libraryDirectory = libraryDirectory
            self.modelPath = modelPath
            self.slots = slots
            self.contextPerSlot = contextPerSlot
            self.threads = threads
            self.startTimeout = startTimeout
            self.logDirectory = logDirectory
            self.logName = logName
            self.extraArguments = extraArguments
        }

        /// The installed embedded default, running `model`.
        public static func embedded(
            _ layout: EmbeddedDefault, model: EmbeddedModel = .qwenCoder05B, options: EmbeddedServerOptions = .init()
        ) -> Configuration {
            Configuration(
                executable: layout.serverExecutable,
                libraryDirectory: layout.binDirectory,
                modelPath: layout.modelPath(model),
                slots: options.slots,
                contextPerSlot: options.contextPerSlot,
                threads: options.threads,
                startTimeout: options.startTimeout,
                logDirectory: layout.logDirectory
            )
        }

        /// The command line (after the executable) for `port`.
        public func arguments(port: Int) -> [String] {
            let slots = max(1, self.slots)
            let perSlot = max(256, contextPerSlot)
            var arguments = [
                "-m", modelPath,
                "--host", "127.0.0.1",
                "--port", String(port),
                "-np", String(slots),
                "--kv-unified",
                "--kv-unified-per-slot", String(perSlot),
                "-c", String(slots * perSlot),
                "--no-webui",
            ]
            let cores = Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
            if let threads {
                // Prompts still use every core: prefill is one batch, not a token-by-token wait.
                arguments += ["-t", String(threads), "-tb", String(max(threads, cores))]
            } else {
                let threads = Self.defaultThreads(cores: cores)
                arguments += ["-t", String(threads.generation), "-tb", String(threads.batch)]
            }
            return arguments + extraArguments
        }

        /// Threads when none are configured: every core for prompt processing, one core fewer
        /// for generation. llama.cpp's generation threads wait for each other at every token,
        /// so when another process (the editor, a build) takes one core, a server using them
        /// all slows to a crawl; measured on 2 cores under load, `-t 1 -tb 2` decoded 3–10×
        /// faster than `-t 2` (bench/results/llama-threads.json).
        static func defaultThreads(cores: Int) -> (generation: Int, batch: Int) {
            let cores = max(1, cores)
            return (max(1, cores - 1), cores)
        }
    }

    /// Where a running server answers.
    public struct Endpoint: Sendable, Hashable, CustomStringConvertible {
        /// `http://127.0.0.1:<port>`.
        public let url: String
        public let port: Int
        public let processID: Int32
        /// The server's key; shown nowhere.
        let apiKey: Secret
        /// Counts starts, so a client made for one server is not reused for the next.
        let generation: Int

        public var description: String { "\(url) (pid \(processID))" }
    }

    private struct Running {
        var process: ChildProcess
        var watchdog: ChildProcess?
        var lifeline: Int32
        var endpoint: Endpoint
    }

    private enum State {
        case idle
        case starting(Task<Endpoint, any Error>)
        case running(Running)
        case stopped
    }

    public nonisolated let configuration: Configuration
    private let logger: Logger
    private var state: State = .idle
    private var generation = 0
    /// The server died (or failed to start) and has not been started again.
    private var crashed = false
    /// One restart is allowed after a crash, renewed by every successful call.
    private var restartAllowed = true
    /// A crash happened in this owner's lifetime: the log is kept for a post-mortem.
    private var everCrashed = false
    /// Pids and the lifeline for `terminateImmediately`, callable without the actor.
    private let control = NIOLockedValueBox<(server: pid_t, watchdog: pid_t?, lifeline: Int32)?>(nil)

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        var logger = logger
        logger[metadataKey: "component"] = "llama-server"
        self.logger = logger
    }

    /// This owner's log file of the server's output.
    public nonisolated var logFile: String {
        "\(configuration.logDirectory)/\(configuration.logName)-\(getpid()).log"
    }

    /// The running server, started (and waited for) when needed.
    public func endpoint() async throws(ModelBackendError) -> Endpoint {
        switch state {
        case .stopped:
            throw ModelBackendError(.serverCrashed, "the embedded llama-server was shut down")
        case .running(let running):
            guard let status = running.process.poll() else { return running.endpoint }
            noteExit(running, status: status)
        case .starting(let task):
            return try await wait(for: task)
        case .idle:
            break
        }
        if crashed {
            guard restartAllowed else {
                throw ModelBackendError(
                    .serverCrashed,
                    "the embedded llama-server failed again after a restart (see \(logFile)); restart the language server to try again"
                )
            }
            logger.notice("restarting llama-server after a crash")
            restartAllowed = false
            crashed = false
        }
        let task = Task { () async throws -> Endpoint in try await self.launch() }
        state = .starting(task)
        return try await wait(for: task)
    }

    private func wait(for task: Task<Endpoint, any Error>) async throws(ModelBackendError) -> Endpoint {
        do {
            return try await cancellableValue(of: task)
        } catch let error as ModelBackendError {
            throw error
        } catch {
            throw ModelBackendError.cancelledByCaller
        }
    }

    /// After a failed request to `endpoint`: if the server died, reaps it, makes the next call
    /// restart it, and returns the error to report instead; `nil` when it is still running.
    public func crashError(for endpoint: Endpoint) async -> ModelBackendError? {
        guard case .running(let running) = state, running.endpoint.generation == endpoint.generation else {
            return nil
        }
        // A dying server drops its connections a moment before it can be reaped.
        for _ in 0..<10 {
            if let status = running.process.poll() {
                let message = noteExit(running, status: status)
                return ModelBackendError(.serverCrashed, message)
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    /// A call succeeded: a later crash may be restarted again.
    public func noteSuccess() {
        restartAllowed = true
    }

    /// The server's pid, if it runs.
    public var processID: Int32? {
        if case .running(let running) = state { return running.process.pid }
        return nil
    }

    /// Stops the server (SIGTERM, then SIGKILL after 3 s) and its watchdog; later calls fail.
    public func shutdown() async {
        let previous = state
        state = .stopped
        switch previous {
        case .starting(let task):
            task.cancel()
            _ = await task.result
            if case .running(let running) = startedDuringShutdown.take() { await stop(running) }
        case .running(let running):
            await stop(running)
        case .idle, .stopped:
            break
        }
        if !everCrashed { unlink(logFile) }
    }

    /// Kills the server at once without waiting: for a signal handler or `atexit` path of the
    /// executable, where awaiting the actor is not possible.
    public nonisolated func terminateImmediately() {
        guard let control = control.withLockedValue({ value in defer { value = nil }; return value }) else { return }
        if let watchdog = control.watchdog { kill(watchdog, SIGKILL) }
        kill(control.server, SIGTERM)
        close(control.lifeline)
    }

    // MARK: Starting

    private var startedDuringShutdown = Slot<State>()

    private func launch() async throws -> Endpoint {
        do { try checkInstalled() } catch {
            if case .starting = state { state = .idle }
            throw error
        }
        makeDirectory(configuration.logDirectory)
        pruneStaleLogs()
        var lastFailure: ModelBackendError?
        for attempt in 1...3 {
            guard let port = LocalNetwork.freePort() else {
                throw ModelBackendError(.serverCrashed, "no free TCP port on 127.0.0.1 for llama-server")
            }
            do {
                let running = try await start(port: port, attempt: attempt)
                if case .stopped = state {
                    startedDuringShutdown.put(.running(running))
                    throw ModelBackendError(.serverCrashed, "the embedded llama-server was shut down")
                }
                state = .running(running)
                return running.endpoint
            } catch let failure as StartFailure {
                lastFailure = failure.error
                if failure.error.code == .notSetUp { break }
                if !failure.portInUse { break }
                logger.info("llama-server could not bind its port; trying another", metadata: ["port": "\(port)"])
            }
        }
        if case .starting = state {
            state = .idle
            crashed = true
            everCrashed = true
        }
        throw lastFailure ?? ModelBackendError(.serverCrashed, "llama-server did not start; see \(logFile)")
    }

    private struct StartFailure: Error {
        var error: ModelBackendError
        var portInUse = false
    }

    private func start(port: Int, attempt: Int) async throws -> Running {
        let key = LocalNetwork.randomKey()
        let logFD = open(logFile, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard logFD >= 0 else {
            throw StartFailure(error: ModelBackendError(.serverCrashed, "cannot write the llama-server log \(logFile)"))
        }
        let header = "--- selfmoa-lsp (pid \(getpid())) starts llama-server on 127.0.0.1:\(port), attempt \(attempt)\n"
        _ = header.withCString { write(logFD, $0, strlen($0)) }

        var environment = ProcessEnvironment.current
        environment["LLAMA_API_KEY"] = key
        if let libraries = configuration.libraryDirectory {
            environment["LD_LIBRARY_PATH"] = [libraries, environment["LD_LIBRARY_PATH"]].compactMap { $0 }.joined(separator: ":")
        }
        let process: ChildProcess
        do {
            process = try ChildProcess.spawn(
                executable: configuration.executable,
                arguments: configuration.arguments(port: port),
                environment: environment,
                stdin: .null,
                stdout: .descriptor(logFD),
                stderr: .descriptor(logFD)
            )
        } catch {
            close(logFD)
            throw StartFailure(error: ModelBackendError(.serverCrashed, "\(error)"))
        }
        close(logFD)
        let (watchdog, lifeline) = startWatchdog(for: process.pid)
        control.withLockedValue { $0 = (process.pid, watchdog?.pid, lifeline) }
        logger.debug(
            "llama-server started",
            metadata: ["pid": "\(process.pid)", "port": "\(port)", "log": "\(logFile)"]
        )

        let url = "http://127.0.0.1:\(port)"
        generation += 1
        let endpoint = Endpoint(url: url, port: port, processID: process.pid, apiKey: Secret(key), generation: generation)
        let running = Running(process: process, watchdog: watchdog, lifeline: lifeline, endpoint: endpoint)
        let health = HTTPTransport(
            url: url,
            apiKey: nil,
            apiKeyEnv: nil,
            timeouts: .init(connect: .seconds(1), firstToken: .seconds(5), total: .seconds(5)),
            logger: Logger(label: "selfmoa.llama-server.health", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let clock = ContinuousClock()
        let deadline = clock.now + configuration.startTimeout
        while clock.now < deadline {
            if let status = process.poll() {
                let tail = Self.tail(of: logFile)
                stopWatchdog(watchdog, lifeline: lifeline)
                let portInUse = tail.contains("bind") || tail.lowercased().contains("address already in use")
                throw StartFailure(
                    error: ModelBackendError(
                        .serverCrashed,
                        "llama-server \(status) while starting (log \(logFile)):\n\(tail)"
                    ),
                    portInUse: portInUse
                )
            }
            if Task.isCancelled, case .stopped = state { break }
            if let reply = try? await health.send(.GET, "/health", limit: .seconds(2)), reply.status == 200 {
                logger.debug(
                    "llama-server ready",
                    metadata: ["pid": "\(process.pid)", "port": "\(port)", "model": "\(configuration.modelPath.split(separator: "/").last ?? "")"]
                )
                return running
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        await stop(running)
        if case .stopped = state {
            throw StartFailure(error: ModelBackendError(.serverCrashed, "the embedded llama-server was shut down"))
        }
        throw StartFailure(
            error: .timeout(
                "llama-server did not load the model",
                after: configuration.startTimeout,
                url: "\(url) (log \(logFile))"
            )
        )
    }

    private func checkInstalled() throws(ModelBackendError) {
        var missing: [String] = []
        if !EmbeddedDefault.isExecutable(configuration.executable) { missing.append("no llama-server at \(configuration.executable)") }
        if !EmbeddedDefault.exists(configuration.modelPath) { missing.append("no model at \(configuration.modelPath)") }
        guard missing.isEmpty else {
            throw ModelBackendError(
                .notSetUp,
                "the embedded model backend is not set up (\(missing.joined(separator: "; "))); \(EmbeddedDefault.setupAdvice)"
            )
        }
    }

    /// `sh` waits for EOF on the lifeline, then stops the server: SIGTERM, SIGKILL after 3 s.
    /// It ignores the terminal's signals so a Ctrl-C to our process group cannot kill it first.
    private func startWatchdog(for pid: pid_t) -> (ChildProcess?, Int32) {
        guard let pipe = LifelinePipe.make() else {
            logger.warning("cannot create the watchdog pipe; llama-server may outlive a killed selfmoa-lsp")
            return (nil, -1)
        }
        let script = """
            trap '' INT TERM HUP
            read -r line
            kill -TERM "$1" 2>/dev/null || exit 0
            i=0
            while [ $i -lt 30 ] && kill -0 "$1" 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
            kill -KILL "$1" 2>/dev/null
            exit 0
            """
        let watchdog = try? ChildProcess.spawn(
            executable: "/bin/sh",
            arguments: ["-c", script, "selfmoa-llama-watchdog", String(pid)],
            environment: ["PATH": "/usr/bin:/bin"],
            stdin: .descriptor(pipe.readEnd),
            stdout: .null,
            stderr: .null
        )
        close(pipe.readEnd)
        if watchdog == nil {
            logger.warning("cannot start the watchdog; llama-server may outlive a killed selfmoa-lsp")
        }
        return (watchdog, pipe.writeEnd)
    }

    private func stopWatchdog(_ watchdog: ChildProcess?, lifeline: Int32) {
        // `terminateImmediately` may have done this already: the descriptor is closed only by
        // whoever takes it out of `control`, so never twice.
        let owned = control.withLockedValue { control -> Bool in
            guard let current = control, current.lifeline == lifeline else { return false }
            control = nil
            return true
        }
        guard owned else { return }
        watchdog?.killAndReap()
        if lifeline >= 0 { close(lifeline) }
    }

    private func stop(_ running: Running) async {
        // The watchdog goes first so it cannot signal a reused pid later.
        stopWatchdog(running.watchdog, lifeline: running.lifeline)
        let status = await running.process.terminate(grace: .seconds(3))
        logger.debug("llama-server stopped", metadata: ["pid": "\(running.process.pid)", "status": "\(status)"])
    }

    /// Records an exit found by `poll`, and returns the message to report.
    @discardableResult
    private func noteExit(_ running: Running, status: ExitStatus) -> String {
        stopWatchdog(running.watchdog, lifeline: running.lifeline)
        let tail = Self.tail(of: logFile)
        let restart = restartAllowed ? "; it restarts on the next request" : ""
        let message = "the embedded llama-server \(status) (log \(logFile))\(restart)\(tail.isEmpty ? "" : ":\n\(tail)")"
        logger.error("llama-server died", metadata: ["pid": "\(running.process.pid)", "status": "\(status)"])
        if case .running(let current) = state, current.endpoint.generation == running.endpoint.generation {
            state = .idle
        }
        crashed = true
        everCrashed = true
        return message
    }

    // MARK: Logs

    static func tail(of path: String, bytes: Int = 1500) -> String {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        let size = lseek(fd, 0, SEEK_END)
        let start = max(0, size - off_t(bytes))
        lseek(fd, start, SEEK_SET)
        var buffer = [UInt8](repeating: 0, count: bytes)
        let count = read(fd, &buffer, bytes)
        guard count > 0 else { return "" }
        var lines = String(decoding: buffer.prefix(count), as: UTF8.self).split(separator: "\n")
        if start > 0, !lines.isEmpty { lines.removeFirst() }
        return lines.suffix(12).joined(separator: "\n")
    }

    private func makeDirectory(_ path: String) {
        var prefix = ""
        for component in path.split(separator: "/") {
            prefix += "/" + component
            mkdir(prefix, 0o700)
        }
    }

    /// Removes logs of owners that no longer run.
    private func pruneStaleLogs() {
        guard let directory = opendir(configuration.logDirectory) else { return }
        defer { closedir(directory) }
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            guard name.hasPrefix("llama-server-"), name.hasSuffix(".log"),
                let pid = Int32(name.dropFirst("llama-server-".count).dropLast(4)), pid != getpid()
            else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                unlink("\(configuration.logDirectory)/\(name)")
            }
        }
    }

    deinit {
        terminateImmediately()
    }
}

/// A value shown nowhere: not in descriptions, dumps or mirrors.
struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let value: String
    init(_ value: String) { self.value = value }
    var description: String { "[redacted]" }
    var debugDescription: String { "[redacted]" }
    var customMirror: Mirror { Mirror(self, children: []) }
}

/// A one-value mailbox.
struct Slot<Value> {
    private var value: Value?
    mutating func put(_ new: Value) { value = new }
    mutating func take() -> Value? {
        defer { value = nil }
        return value
    }
}
