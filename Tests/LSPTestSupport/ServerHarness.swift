import JSON
import JSONRPC
import LanguageServer
import Logging
import Synchronization

/// Runs a `LanguageServer` in process against a `TestClient` (sourcekit-lsp style).
public final class ServerHarness: Sendable {
    public let client: TestClient
    public let server: LanguageServer
    private let pipes: InProcessPipes
    private final class ExitBox: Sendable { let code = Mutex<Int32?>(nil) }
    private let exitCode = ExitBox()
    private let tasks: Mutex<[Task<Void, Never>]> = Mutex([])

    public init(configure: (inout LanguageServer.Options) -> Void = { _ in }) {
        let pipes = InProcessPipes()
        self.pipes = pipes
        var logger = Logger(label: "server-under-test")
        logger.logLevel = .critical
        let serverConnection = Connection(output: pipes.toClientWriter, logger: logger)
        let exitCode = self.exitCode
        var options = LanguageServer.Options()
        configure(&options)
        server = LanguageServer(connection: serverConnection, logger: logger, options: options, onExit: { code in
            exitCode.code.withLock { $0 = code }
        })
        client = TestClient(output: pipes.toServerWriter)
        let server = self.server
        let client = self.client
        let serverTask = Task { await serverConnection.run(input: pipes.toServer, handler: server) }
        let clientTask = Task { await client.connection.run(input: pipes.toClient, handler: client) }
        tasks.withLock { $0 = [serverTask, clientTask] }
    }

    /// The code the server asked to exit with, once it did.
    public var requestedExitCode: Int32? { exitCode.code.withLock { $0 } }

    /// Sends `initialize` (with `capabilities`) and `initialized`; returns the result.
    @discardableResult
    public func initialize(capabilities: JSONValue = ClientProfiles.full, options: JSONValue? = nil) async throws -> JSONValue {
        var params: JSONValue = ["processId": .null, "rootUri": .null, "capabilities": capabilities]
        if let options, case .object(var members) = params {
            members["initializationOptions"] = options
            params = .object(members)
        }
        let result = try await client.request("initialize", params)
        client.notify("initialized", [:])
        return result
    }

    /// Opens a document.
    public func open(_ uri: String, _ text: String, language: String = "python", version: Int = 1) {
        client.notify("textDocument/didOpen", [
            "textDocument": ["uri": .string(uri), "languageId": .string(language), "version": .int(Int64(version)), "text": .string(text)]
        ])
    }

    public func close() {
        pipes.close()
    }
}

/// Client capability sets used across tests.
public enum ClientProfiles {
    /// A capable client: UTF-16, resolve support, applyEdit with document changes, progress, our extension.
    public static let full: JSONValue = [
        "general": ["positionEncodings": ["utf-16"]],
        "workspace": ["applyEdit": true, "workspaceEdit": ["documentChanges": true]],
        "window": ["workDoneProgress": true, "showDocument": ["support": true]],
        "textDocument": [
            "codeAction": [
                "codeActionLiteralSupport": ["codeActionKind": ["valueSet": ["", "quickfix", "refactor", "source"]]],
                "resolveSupport": ["properties": ["command", "edit"]],
            ],
            "publishDiagnostics": ["versionSupport": true],
        ],
        "experimental": ["selfmoa": ["results": true]],
    ]

    /// A minimal client: no literals, no progress, no extension.
    public static let minimal: JSONValue = [:]
}

/// Finds `⟨n⟩` markers in a text, returning the text without them and each marker's position
/// (UTF-16), so tests place cursors by writing them into the source.
public func extractMarkers(_ marked: String) -> (text: String, positions: [String: (line: Int, character: Int)]) {
    var text = ""
    var positions: [String: (Int, Int)] = [:]
    var line = 0
    var character = 0
    var index = marked.startIndex
    while index < marked.endIndex {
        if marked[index] == "⟨", let close = marked[index...].firstIndex(of: "⟩") {
            positions[String(marked[marked.index(after: index)..<close])] = (line, character)
            index = marked.index(after: close)
            continue
        }
        let c = marked[index]
        text.append(c)
        if c == "\n" {
            line += 1
            character = 0
        } else {
            character += c.utf16.count
        }
        index = marked.index(after: index)
    }
    return (text, positions)
}
