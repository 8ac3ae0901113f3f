import Foundation

/// Runs `git` for reading a repository: never taking the optional locks git would take to
/// refresh the index as it reads (`--no-optional-locks`), so a review writes nothing.
public struct Git: Sendable {
    /// The `git` executable.
    public let executable: String

    /// `git` on `path`; `nil` when it is not installed.
    public init?(path: String? = ProcessInfo.processInfo.environment["PATH"]) {
        guard let git = ToolProcess.find("git", path: path) else { return nil }
        executable = git
    }

    /// Runs `git arguments` in `directory`, its output kept up to 64 MiB (a diff can be large).
    public func run(_ arguments: [String], in directory: String, timeout: Duration = .seconds(60)) async -> ToolProcess.Outcome {
        await ToolProcess(
            executable: executable, arguments: ["--no-optional-locks"] + arguments, workingDirectory: directory, timeout: timeout,
            outputLimit: 64 * 1024 * 1024
        ).run()
    }
}
