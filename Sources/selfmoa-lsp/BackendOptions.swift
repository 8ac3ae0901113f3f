import ArgumentParser
import ModelBackend

/// `--backend-url`, `--model`, `--api-key-env`: the backend before any client settings.
/// Without a URL (here, in the client's settings or in `SELFMOA_BACKEND_URL`) the managed
/// embedded `llama-server` is used.
struct BackendOptions: ParsableArguments {
    @Option(help: "OpenAI-compatible base URL (default: $SELFMOA_BACKEND_URL, else the embedded llama-server).")
    var backendURL: String?

    @Option(help: "Model name to request from the backend.")
    var model: String?

    @Option(help: "Name of the environment variable that holds the API key (the key is never logged).")
    var apiKeyEnv: String?

    func configuration() -> BackendConfiguration {
        BackendConfiguration(url: backendURL, model: model, apiKeyEnv: apiKeyEnv)
    }
}
