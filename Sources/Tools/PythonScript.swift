import Foundation

/// A Python script the assistant asks a question of: `python3 -I -W ignore -c script arguments…`
/// with a text on stdin, in the temporary directory, answering on stdout. For scripts that only
/// read (parse, analyse): it runs with the user's rights, not in the sandbox.
public struct PythonScript: Sendable {
    /// The script's source.
    public var source: String
    /// Longest a run may take.
    public var timeout: Duration
    /// Where to look for `python3`; `nil`: the process's `PATH`.
    public var searchPath: String?

    public init(_ source: String, timeout: Duration = .seconds(5), searchPath: String? = nil) {
        self.source = source
        self.timeout = timeout
        self.searchPath = searchPath
    }

    /// `python3` is on the search path.
    public var isAvailable: Bool { interpreter != nil }

    /// The script's stdout, when it ran and exited with status 0; `nil` when `python3` is
    /// missing, the script failed or took longer than `timeout`.
    public func run(arguments: [String] = [], input: String) async -> String? {
        guard let interpreter else { return nil }
        let outcome = await ToolProcess(
            executable: interpreter, arguments: ["-I", "-W", "ignore", "-c", source] + arguments,
            input: input, workingDirectory: FileManager.default.temporaryDirectory.path, timeout: timeout
        ).run()
        return outcome.succeeded ? outcome.stdout : nil
    }

    private var interpreter: String? {
        ToolProcess.find("python3", path: searchPath ?? ProcessInfo.processInfo.environment["PATH"])
    }
}
