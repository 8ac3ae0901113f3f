import Foundation
import LSPTestSupport
import ModelBackend

/// A per-user cache (`$XDG_CACHE_HOME/selfmoa-lsp`) laid out as `make setup` leaves it, whose
/// `llama-server` is a shell script: it appends its process id to `starts`, prints a line on its
/// stdout and one on its stderr, then becomes `selfmoa-standin-backend` (which accepts
/// llama-server's command line and `LLAMA_API_KEY`) with `extraArguments`.
struct FakeEmbeddedCache {
    /// The value for `XDG_CACHE_HOME`.
    let root: String
    let layout: EmbeddedDefault
    /// One process id per start of the server.
    let starts: String

    static let stdoutNoise = "llama-server noise on stdout"

    init(extraArguments: [String] = []) throws {
        root = NSTemporaryDirectory() + "selfmoa-reliability-\(UUID().uuidString)"
        layout = EmbeddedDefault(cacheDirectory: root + "/selfmoa-lsp")
        starts = root + "/starts"
        let files = FileManager.default
        try files.createDirectory(atPath: layout.binDirectory, withIntermediateDirectories: true)
        try files.createDirectory(atPath: (layout.modelPath as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        for path in [layout.engineMarker, layout.modelPath, layout.modelMarker] {
            try Data().write(to: URL(fileURLWithPath: path))
        }
        let standIn = URL(fileURLWithPath: BinaryServer.binaryPath).deletingLastPathComponent()
            .appendingPathComponent("selfmoa-standin-backend").path
        let script = """
            #!/bin/sh
            echo $$ >> '\(starts)'
            echo '\(Self.stdoutNoise)'
            echo 'llama-server noise on stderr' >&2
            exec '\(standIn)' "$@" \(extraArguments.map { "'\($0)'" }.joined(separator: " "))

            """
        try Data(script.utf8).write(to: URL(fileURLWithPath: layout.serverExecutable))
        try files.setAttributes([.posixPermissions: 0o755], ofItemAtPath: layout.serverExecutable)
    }

    /// The process ids of the servers started so far, oldest first.
    var pids: [Int32] {
        let text = (try? String(contentsOfFile: starts, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { Int32($0) }
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: root)
    }

    /// The command line of a process, one element per argument.
    static func commandLine(of pid: Int32) -> [String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return [] }
        return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The environment of a process.
    static func environment(of pid: Int32) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return [:] }
        var result: [String: String] = [:]
        for entry in data.split(separator: 0) {
            let text = String(decoding: entry, as: UTF8.self)
            guard let equals = text.firstIndex(of: "=") else { continue }
            result[String(text[..<equals])] = String(text[text.index(after: equals)...])
        }
        return result
    }

    /// `true` once `pid` is gone or a zombie nobody reaped yet.
    static func isDead(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        // "pid (comm) S …": the state follows the last ')'.
        guard let close = stat.lastIndex(of: ")") else { return true }
        let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
        return state == "Z" || state == "X"
    }

    /// Waits up to `seconds` for `condition`.
    static func eventually(within seconds: Double = 15, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        while !condition() {
            if ContinuousClock.now > deadline { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return true
    }
}
