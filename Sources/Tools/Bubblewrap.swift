/// The isolation boundary the doctest sandbox runs its interpreter in: Debian's bubblewrap
/// (`bwrap`), unprivileged user namespaces under the hood.
///
/// The command sees the whole filesystem read-only (`--ro-bind / /`) except a private scratch
/// directory bound writable and a private, empty `/tmp` (`--tmpfs /tmp`); a fresh `/proc` and a
/// minimal `/dev`; new user, IPC, PID, network, UTS and cgroup namespaces (`--unshare-all`: no
/// network interface but loopback, no host process visible); no capabilities
/// (`--cap-drop ALL`); a session of its own (`--new-session`: no terminal to inject input
/// into); death with its parent (`--die-with-parent`: killing `bwrap` kills everything inside);
/// and only the environment it is given (`--clearenv`, then `--setenv`).
public struct Bubblewrap: Sendable, Hashable {
    /// The `bwrap` executable.
    public var executable: String

    public init(executable: String) {
        self.executable = executable
    }

    /// `bwrap`'s arguments to run `command` with `scratch` as its only writable directory, its
    /// working directory and `HOME`, plus `environment`; with no scratch directory the command
    /// runs in `/`, nothing writable but its private `/tmp`.
    public func arguments(scratch: String?, environment: [String: String] = [:], command: [String]) -> [String] {
        var arguments = ["--ro-bind", "/", "/", "--tmpfs", "/tmp"]
        if let scratch { arguments += ["--bind", scratch, scratch] }
        arguments += [
            "--proc", "/proc", "--dev", "/dev",
            "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
            "--chdir", scratch ?? "/", "--clearenv",
        ]
        var variables = environment
        if let scratch { variables["HOME"] = variables["HOME"] ?? scratch }
        for (name, value) in variables.sorted(by: { $0.key < $1.key }) {
            arguments += ["--setenv", name, value]
        }
        return arguments + ["--"] + command
    }

    /// Whether the boundary can be set up here: runs `true` inside it (a missing `bwrap`, or a
    /// kernel refusing unprivileged user namespaces, fails). The reason when it cannot.
    func probe() async -> String? {
        guard let executable = ToolProcess.find(executable) else { return "\(self.executable) not found" }
        guard let truth = ToolProcess.find("true", path: "/usr/bin:/bin") else { return "no `true` to probe with" }
        let outcome = await ToolProcess(
            executable: executable, arguments: arguments(scratch: nil, command: [truth]),
            environment: ["PATH": "/usr/bin:/bin"], timeout: .seconds(20)
        ).run()
        if let failure = outcome.launchFailure { return failure }
        return outcome.succeeded ? nil : outcome.lastLine()
    }
}
