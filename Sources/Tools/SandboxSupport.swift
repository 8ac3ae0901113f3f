import Foundation

/// What this machine offers the doctest sandbox, probed once per process (per `bwrap` path):
/// the real Python interpreter and whether the bubblewrap isolation boundary works.
public struct SandboxSupport: Sendable, Hashable {
    /// The real Python executable (`sys.executable` of `python3` on `PATH`), if any.
    public var python: String?
    /// The boundary, when `bwrap` runs a command here.
    public var bubblewrap: Bubblewrap?
    /// Why the boundary is not available (`nil` when it is).
    public var isolationFailure: String?

    /// The isolation boundary works here: examples can run.
    public var isolationAvailable: Bool { bubblewrap != nil }

    /// `bwrap` where `scripts/setup.sh apt` (Debian's `bubblewrap`) puts it.
    public static let defaultBubblewrap = "bwrap"

    private static let probes = Probes()

    /// The probe's result for `bwrap` (a name looked up on `PATH`, or a path); the first call
    /// for a given `bwrap` runs it, later ones return it.
    public static func probe(bwrap: String = defaultBubblewrap) async -> SandboxSupport {
        await probes.value(bwrap: bwrap)
    }

    /// Whether the isolation boundary is available: cheap after the first call (cached), so a
    /// settings layer can ask it to decide whether running examples may be on.
    public static func isolationAvailable(bwrap: String = defaultBubblewrap) async -> Bool {
        await probe(bwrap: bwrap).isolationAvailable
    }

    /// The message for `.unavailable` when the boundary cannot be set up.
    static func unavailableMessage(_ failure: String?) -> String {
        "examples not run: bubblewrap (bwrap) is not installed or user namespaces are disabled: install bubblewrap "
            + "(apt-get install bubblewrap, or scripts/setup.sh apt) and allow unprivileged user namespaces "
            + "(sysctl kernel.unprivileged_userns_clone=1)" + (failure.map { " [\($0)]" } ?? "")
    }

    fileprivate static func run(bwrap: String) async -> SandboxSupport {
        var support = SandboxSupport()
        if let python3 = ToolProcess.find("python3") {
            let outcome = await ToolProcess(
                executable: python3, arguments: ["-c", "import sys; sys.stdout.write(sys.executable + '\\n')"], timeout: .seconds(20)
            ).run()
            let path = outcome.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            if outcome.succeeded, path.hasPrefix("/") { support.python = path }
        }
        let boundary = Bubblewrap(executable: ToolProcess.find(bwrap) ?? bwrap)
        if let failure = await boundary.probe() {
            support.isolationFailure = failure
        } else {
            support.bubblewrap = boundary
        }
        return support
    }
}

private actor Probes {
    private var tasks: [String: Task<SandboxSupport, Never>] = [:]

    func value(bwrap: String) async -> SandboxSupport {
        if let task = tasks[bwrap] { return await task.value }
        let task = Task { await SandboxSupport.run(bwrap: bwrap) }
        tasks[bwrap] = task
        return await task.value
    }
}
