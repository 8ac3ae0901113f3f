import ArgumentParser
import Foundation
import Logging
import ModelBackend

/// Checks the configured model backend end to end and prints a report on stdout.
struct DoctorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "doctor",
        abstract: "Check that the model backend works: reachable, answers, and which extras it has.",
        discussion: """
            Without --backend-url (or $SELFMOA_BACKEND_URL) it checks the embedded default: it starts \
            the managed llama-server, asks it a tiny prompt, and stops it. Exits 0 only when the \
            backend answers.
            """
    )

    @Option(name: .customLong("backend-url"), help: "An OpenAI-compatible server (default: $SELFMOA_BACKEND_URL, else the embedded llama-server).")
    var backendURL: String?

    @Option(help: "The model name to request.")
    var model: String?

    @Option(name: .customLong("api-key-env"), help: "The name of the environment variable that holds the API key.")
    var apiKeyEnv: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Flag(help: "Log the backend's requests on stderr.")
    var verbose = false

    @Option(help: "Slots of the embedded server.")
    var slots: Int = EmbeddedServerOptions().slots

    @Option(name: .customLong("context-per-slot"), help: "Context per slot of the embedded server, in tokens.")
    var contextPerSlot: Int = EmbeddedServerOptions().contextPerSlot

    /// Starts the managed server, prints `HOLD <port> <pid>` and waits to be killed: lets tests
    /// check that the server dies with its owner.
    @Flag(help: .hidden)
    var hold = false

    /// Runs this binary instead of the embedded llama-server (tests).
    @Option(name: .customLong("server-executable"), help: .hidden)
    var serverExecutable: String?

    /// Uses this model file instead of the embedded one (tests).
    @Option(name: .customLong("model-path"), help: .hidden)
    var modelPath: String?

    func run() async throws {
        let level: Logger.Level = verbose ? .debug : .warning
        let logger = Logger(label: "selfmoa.doctor") { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        var configuration = BackendConfiguration(url: backendURL, model: model, apiKeyEnv: apiKeyEnv)
        configuration.embedded.slots = slots
        configuration.embedded.contextPerSlot = contextPerSlot

        if hold {
            try await holdManagedServer(configuration: configuration, logger: logger)
        }

        let diagnosis = await BackendDoctor.diagnose(configuration: configuration, logger: logger)
        print(json ? diagnosis.json() : diagnosis.text())
        if !diagnosis.works { throw ExitCode(1) }
    }

    private func holdManagedServer(configuration: BackendConfiguration, logger: Logger) async throws -> Never {
        let layout = EmbeddedDefault.current
        var server = ManagedLlamaServer.Configuration.embedded(layout, options: configuration.embedded)
        if let serverExecutable {
            server.executable = serverExecutable
            server.libraryDirectory = nil
        }
        if let modelPath { server.modelPath = modelPath }
        let managed = ManagedLlamaServer(configuration: server, logger: logger)
        do {
            let endpoint = try await managed.endpoint()
            print("HOLD \(endpoint.port) \(endpoint.processID)")
            fflush(nil)
        } catch {
            FileHandle.standardError.write(Data("selfmoa-lsp doctor: \(error.message)\n".utf8))
            throw ExitCode(1)
        }
        while true { try await Task.sleep(for: .seconds(3600)) }
    }
}
