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

    @Option(help: "Seconds to wait for a model's first token before giving up (default: 60); raise it on a slow or busy machine with long files.")
    var firstTokenTimeout: Int?

    @Option(help: "Seconds one model request may take in all (default: 600).")
    var totalTimeout: Int?

    func validate() throws {
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
        for (flag, value) in [("--first-token-timeout", firstTokenTimeout), ("--total-timeout", totalTimeout)] {
            if let value, value < 1 { throw ValidationError("\(flag) must be at least 1 second (got \(value))") }
        }
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
        var timeouts = BackendConfiguration.Timeouts()
        if let firstTokenTimeout { timeouts.firstToken = .seconds(firstTokenTimeout) }
        if let totalTimeout { timeouts.total = .seconds(totalTimeout) }
        return BackendConfiguration(
            url: backendURL, model: model, apiKeyEnv: apiKeyEnv, timeouts: timeouts, embedded: EmbeddedServerOptions(threads: threads))
    }
}
