import ArgumentParser
import Foundation
import JSON
import JSONRPC
import Logging
import Synchronization

/// `selfmoa-lsp demo FILE`: starts the real server (this binary, `serve`) over pipes and drives
/// it the way an editor does — initialize, open the file, explain it, review it — printing the
/// explanation, the findings, progress and the cost report.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Explain and review a file through the real stdio server, as an editor would."
    )

    @Argument(help: "The file to explain and review.")
    var file: String

    @Option(help: "Samples per action.")
    var samples: Int = 4

    @OptionGroup var backend: BackendOptions

    func run() async throws {
        let url = URL(fileURLWithPath: file).standardizedFileURL
        guard let text = try? String(contentsOf: url, encoding: .utf8) else {
            throw ValidationError("cannot read \(file)")
        }
        let server = Process()
        server.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var arguments = ["serve", "--log-level", "warning"]
        if let url = backend.backendURL { arguments += ["--backend-url", url] }
        if let model = backend.model { arguments += ["--model", model] }
        if let env = backend.apiKeyEnv { arguments += ["--api-key-env", env] }
        server.arguments = arguments
        let toServer = Pipe()
        let fromServer = Pipe()
        server.standardInput = toServer
        server.standardOutput = fromServer
        server.standardError = FileHandle.standardError
        try server.run()

        let client = DemoClient(output: StandardStreams.output(fileDescriptor: toServer.fileHandleForWriting.fileDescriptor))
        let reader = Task {
            await client.connection.run(
                input: StandardStreams.input(fileDescriptor: fromServer.fileHandleForReading.fileDescriptor), handler: client)
        }
        let started = Date()
        say("selfmoa-lsp demo: \(url.path) (\(text.split(separator: "\n", omittingEmptySubsequences: false).count) lines)")
        _ = try await client.connection.sendRequest("initialize", [
            "processId": .int(Int64(ProcessInfo.processInfo.processIdentifier)),
            "clientInfo": ["name": "selfmoa-lsp demo"],
            "capabilities": [
                "window": ["workDoneProgress": true],
                "workspace": ["applyEdit": true, "workspaceEdit": ["documentChanges": true]],
                "textDocument": ["publishDiagnostics": ["versionSupport": true]],
                "experimental": ["selfmoa": ["results": true]],
            ],
            "initializationOptions": [
                "explain": ["samples": .int(Int64(samples))], "review": ["samples": .int(Int64(samples))],
            ],
        ])
        client.connection.sendNotification("initialized", [:])
        let uri = url.absoluteString
        client.connection.sendNotification("textDocument/didOpen", [
            "textDocument": ["uri": .string(uri), "languageId": .string(Self.language(of: url)), "version": 1, "text": .string(text)]
        ])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
        let whole: JSONValue = ["start": ["line": 0, "character": 0], "end": ["line": .int(Int64(lines)), "character": 0]]
        var failed = false
        for command in ["selfmoa.explain", "selfmoa.review"] {
            say("\n== \(command) (Self-MoA, \(samples) samples) ==")
            do {
                let result = try await client.connection.sendRequest("workspace/executeCommand", [
                    "command": .string(command),
                    "arguments": [["textDocument": ["uri": .string(uri), "version": 1], "range": whole]],
                ])
                print(result["markdown"]?.stringValue ?? "(no markdown)")
                if command == "selfmoa.review" {
                    let findings = result["findings"]?.arrayValue ?? []
                    say("\n\(findings.count) finding(s) published as diagnostics")
                }
                if let stats = result["stats"] { print("\ncost: \(Self.describe(stats))") }
            } catch {
                say("\(command) failed: \(error)")
                failed = true
            }
        }
        _ = try? await client.connection.sendRequest("shutdown", nil)
        client.connection.sendNotification("exit", nil)
        try? toServer.fileHandleForWriting.close()
        server.waitUntilExit()
        reader.cancel()
        say(String(format: "\ndemo finished in %.1f s", Date().timeIntervalSince(started)))
        if failed { throw ExitCode.failure }
    }

    static func describe(_ stats: JSONValue) -> String {
        func int(_ key: String) -> Int64 { stats[key]?.intValue ?? 0 }
        func seconds(_ key: String) -> String { String(format: "%.1f s", stats[key]?.doubleValue ?? 0) }
        let aggregated = stats["aggregated"]?.boolValue == true ? "aggregated"
            : stats["decidedByCentrality"]?.boolValue == true ? "the most typical chosen"
            : stats["decidedByAgreement"]?.boolValue == true ? "decided by agreement" : "not aggregated"
        return "\(stats["mode"]?.stringValue ?? "?"), \(int("samples")) samples, \(aggregated), "
            + "\(int("forwardPasses")) forward passes, \(int("promptTokens")) prompt tokens "
            + "(\(int("prefilledTokens")) prefilled), \(int("completionTokens")) completion tokens; "
            + "proposals \(seconds("proposalSeconds")), aggregation \(seconds("aggregationSeconds")), total \(seconds("totalSeconds"))"
    }

    static func language(of url: URL) -> String {
        switch url.pathExtension {
        case "py": return "python"
        case "swift": return "swift"
        case "js": return "javascript"
        case "ts": return "typescript"
        case "c", "h": return "c"
        case "rs": return "rust"
        case "go": return "go"
        case "lua": return "lua"
        default: return "plaintext"
        }
    }
}

/// Progress and diagnostics go to stderr so stdout holds the results.
private func say(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

/// The demo's side of the connection: prints progress, accepts progress tokens and edits.
private final class DemoClient: MessageHandler, Sendable {
    let connection: Connection

    init(output: @escaping @Sendable ([UInt8]) -> Void) {
        var logger = Logger(label: "demo")
        logger.logLevel = .error
        connection = Connection(output: output, logger: logger)
    }

    func handle(notification method: String, params: JSONValue?) async {
        switch method {
        case "$/progress":
            guard let value = params?["value"] else { return }
            let kind = value["kind"]?.stringValue ?? ""
            let text = value["title"]?.stringValue ?? value["message"]?.stringValue ?? ""
            let percentage = value["percentage"]?.intValue.map { " (\($0)%)" } ?? ""
            say("  [\(kind)] \(text)\(percentage)")
        case "window/showMessage":
            if params?["type"]?.intValue ?? 3 <= 2 { say("  message: \(params?["message"]?.stringValue ?? "")") }
        case "textDocument/publishDiagnostics":
            for diagnostic in params?["diagnostics"]?.arrayValue ?? [] {
                let line = (diagnostic["range"]?["start"]?["line"]?.intValue ?? 0) + 1
                say("  diagnostic line \(line): \(diagnostic["message"]?.stringValue ?? "")")
            }
        default:
            break
        }
    }

    func handle(request: IncomingRequest) async {
        switch request.method {
        case "window/workDoneProgress/create": request.reply(.null)
        case "workspace/applyEdit": request.reply(["applied": false, "failureReason": "the demo does not edit files"])
        default: request.reply(error: .methodNotFound(request.method))
        }
    }
}
