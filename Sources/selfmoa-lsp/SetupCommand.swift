import ArgumentParser
import Foundation

/// Runs `scripts/setup.sh`: builds llama-server and fetches the model into the per-user cache.
struct SetupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "setup",
        abstract: "Install the embedded default: llama-server and the model, into ~/.cache/selfmoa-lsp.",
        discussion: """
            Runs scripts/setup.sh from the source tree this binary was built in (or the script named \
            by $SELFMOA_SETUP_SCRIPT). Its progress goes to stderr; the command exits with its status.
            """
    )

    @Argument(help: "What to set up: apt, engine, model, all (those three), or model-1.5b (the optional larger model).")
    var part: String = "all"

    func run() async throws {
        guard ["apt", "engine", "model", "model-1.5b", "all"].contains(part) else {
            throw ValidationError("unknown part '\(part)': use apt, engine, model, model-1.5b or all")
        }
        guard let script = Self.findScript() else {
            throw ValidationError(
                "cannot find scripts/setup.sh above \(Self.executablePath() ?? "this binary"); set SELFMOA_SETUP_SCRIPT to its path"
            )
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [script, part]
        // The script reports on stderr; keep our stdout clean either way.
        process.standardOutput = FileHandle.standardError
        process.standardError = FileHandle.standardError
        try process.run()
        process.waitUntilExit()
        let status = process.terminationStatus
        if status != 0 { throw ExitCode(status) }
    }

    /// `$SELFMOA_SETUP_SCRIPT`, else `scripts/setup.sh` in the nearest parent of the executable's
    /// real path that has one.
    static func findScript() -> String? {
        let files = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["SELFMOA_SETUP_SCRIPT"], !explicit.isEmpty {
            return files.isReadableFile(atPath: explicit) ? explicit : nil
        }
        guard let executable = executablePath() else { return nil }
        var directory = URL(fileURLWithPath: executable).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("scripts/setup.sh").path
            if files.isReadableFile(atPath: candidate) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    static func executablePath() -> String? {
        if let resolved = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return resolved
        }
        return URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().path
    }
}
