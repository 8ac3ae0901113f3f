#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A child process started with `posix_spawn`: no inherited descriptors beyond the three it is
/// given, default signal dispositions, an empty signal mask.
struct ChildProcess: Sendable, Hashable {
    let pid: pid_t

    /// What one of the child's standard descriptors is.
    enum Stream: Sendable {
        case null
        /// A descriptor of ours, duplicated into the child.
        case descriptor(Int32)
    }

    static func spawn(
        executable: String,
        arguments: [String],
        environment: [String: String],
        stdin: Stream,
        stdout: Stream,
        stderr: Stream
    ) throws(SpawnError) -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        for (target, stream) in [(Int32(0), stdin), (1, stdout), (2, stderr)] {
            switch stream {
            case .null:
                posix_spawn_file_actions_addopen(&actions, target, "/dev/null", target == 0 ? O_RDONLY : O_WRONLY, 0)
            case .descriptor(let fd):
                posix_spawn_file_actions_adddup2(&actions, fd, target)
            }
        }
        if let closeFrom = GlibcExtras.addCloseFrom {
            _ = closeFrom(&actions, 3)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv = ([executable] + arguments).map { strdup($0) }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") }
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, executable, &actions, &attributes, argv + [nil], envp + [nil])
        guard status == 0 else {
            throw SpawnError(executable: executable, errno: status)
        }
        return ChildProcess(pid: pid)
    }

    /// The exit status if the child has ended (reaping it), `nil` while it runs.
    func poll() -> ExitStatus? {
        var status: Int32 = 0
        var result: pid_t
        repeat {
            result = waitpid(pid, &status, WNOHANG)
        } while result == -1 && errno == EINTR
        if result == 0 { return nil }
        if result == pid { return ExitStatus(raw: status) }
        return ExitStatus(raw: -1)  // ECHILD: reaped by someone else.
    }

    /// Sends `signal`; harmless if the child is gone.
    func signal(_ signal: Int32) {
        kill(pid, signal)
    }

    /// Sends SIGTERM, waits up to `grace` for the end, then SIGKILL; always reaps.
    func terminate(grace: Duration) async -> ExitStatus {
        if let status = poll() { return status }
        signal(SIGTERM)
        let clock = ContinuousClock()
        let deadline = clock.now + grace
        while clock.now < deadline {
            if let status = poll() { return status }
            try? await Task.sleep(for: .milliseconds(50))
        }
        signal(SIGKILL)
        while true {
            if let status = poll() { return status }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Sends SIGKILL and reaps, blocking briefly.
    func killAndReap() {
        signal(SIGKILL)
        var status: Int32 = 0
        _ = waitpid(pid, &status, 0)
    }
}

/// How a child ended.
struct ExitStatus: Sendable, Hashable, CustomStringConvertible {
    let raw: Int32

    var description: String {
        if raw == -1 { return "ended (its exit status was collected elsewhere)" }
        let signal = raw & 0x7f
        if signal == 0 { return "exited with status \((raw >> 8) & 0xff)" }
        return "was killed by signal \(signal)\(signal == SIGILL ? " (illegal instruction: rebuild with setup)" : "")"
    }
}

/// `posix_spawn` failed.
struct SpawnError: Error, CustomStringConvertible {
    let executable: String
    let errno: Int32
    var description: String { "cannot start \(executable): \(String(cString: strerror(errno)))" }
}

/// A pipe whose write end only this process holds: a child reading the other end sees EOF when
/// this process ends, however it ends (even SIGKILL).
struct LifelinePipe: Sendable {
    let readEnd: Int32
    let writeEnd: Int32

    static func make() -> LifelinePipe? {
        var fds: [Int32] = [0, 0]
        if let pipe2 = GlibcExtras.pipe2 {
            guard pipe2(&fds, O_CLOEXEC) == 0 else { return nil }
        } else {
            guard pipe(&fds) == 0 else { return nil }
            _ = fcntl(fds[0], F_SETFD, FD_CLOEXEC)
            _ = fcntl(fds[1], F_SETFD, FD_CLOEXEC)
        }
        return LifelinePipe(readEnd: fds[0], writeEnd: fds[1])
    }
}

/// Ports and keys.
enum LocalNetwork {
    /// A TCP port on 127.0.0.1 that was free a moment ago.
    static func freePort() -> Int? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { return nil }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { return nil }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// 32 random bytes as hex, from the system's secure generator.
    static func randomKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<4).map { _ in
            let text = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - text.count) + text
        }.joined()
    }
}

/// GNU extensions the C module does not export without `_GNU_SOURCE`, looked up at run time.
enum GlibcExtras {
    typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    typealias Pipe2 = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32

    /// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34+): the child closes every
    /// descriptor from 3 up, whatever this process has open.
    static let addCloseFrom: AddCloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")
    /// `pipe2`: a pipe created close-on-exec atomically.
    static let pipe2: Pipe2? = symbol("pipe2")

    private static func symbol<T>(_ name: String) -> T? {
        guard let handle = dlopen(nil, RTLD_NOW), let pointer = dlsym(handle, name) else { return nil }
        return unsafeBitCast(pointer, to: T.self)
    }
}
