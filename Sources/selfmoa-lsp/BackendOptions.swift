import Foundation
import ArgumentParser
import ModelBackend

/// `--backend-url`, `--model`, `--api-key-env`, `--threads`: the backend before any client settings.
/// Without a URL (here, in the client's settings or in `SELFMOA_BACKEND_URL`) the managed
/// embedded `llama-server` is used.
struct BackendOptions: ParsableArguments {
    @Option(help: "OpenAI-compatible base URL (default: $SELFMOA_BACKEND_URL, else the embedded llama-server).")
    var backendURL: String?

    @Option(help: "Model name to request from the backend.")
    var model: String?

    @Option(help: "Name of the environment variable that holds the API key (the key is never logged).")
    var apiKeyEnv: String?

    @Option(help: "CPU threads of the embedded llama-server's generation (default: one fewer than the cores, all of them for prompts).")
    var threads: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        if let backendURL, !backendURL.isEmpty, let problem = BackendConfiguration.problem(withURL: backendURL, key: "--backend-url") {
            throw ValidationError(problem)
        }
        let environment = ProcessInfo.processInfo.environment[ModelBackendFactory.urlEnvironmentVariable] ?? ""
        if backendURL == nil, !environment.isEmpty,
           let problem = BackendConfiguration.problem(withURL: environment, key: "$\(ModelBackendFactory.urlEnvironmentVariable)") {
            throw ValidationError(problem)
        }
    }

    func configuration() -> BackendConfiguration {
        BackendConfiguration(url: backendURL, model: model, apiKeyEnv: apiKeyEnv, embedded: EmbeddedServerOptions(threads: threads))
    }
}
