import Foundation
import Logging

/// The model a configuration selects, with what must be stopped at the end.
public struct Backend: Sendable {
    /// The model to use.
    public let model: any LanguageModel
    /// The managed embedded server behind `model`, when the configuration selects the default.
    public let managedServer: ManagedLlamaServer?
    /// The embedded backend with every server it started, when the configuration selects it.
    public let embedded: EmbeddedModels?
    /// The URL `model` talks to, or `nil` for the embedded default (whose URL appears on start).
    public let url: String?

    public init(model: any LanguageModel, managedServer: ManagedLlamaServer? = nil, embedded: EmbeddedModels? = nil, url: String?) {
        self.model = model
        self.managedServer = managedServer ?? embedded?.server
        self.embedded = embedded
        self.url = url
    }

    /// Stops the managed servers, if any. Call it before the process exits.
    public func shutdown() async {
        if let embedded { await embedded.shutdown() } else { await managedServer?.shutdown() }
    }

    /// Signals the managed server to stop, without waiting: for a SIGTERM handler of the
    /// executable. (Were this skipped, the server's watchdog stops it once this process is gone.)
    public func terminateImmediately() {
        if let embedded { embedded.terminateImmediately() } else { managedServer?.terminateImmediately() }
    }
}

/// Builds the `LanguageModel` a `BackendConfiguration` asks for.
public enum ModelBackendFactory {
    /// The environment variable that selects a backend URL when the configuration has none.
    public static let urlEnvironmentVariable = "SELFMOA_BACKEND_URL"

    /// An HTTP client of `configuration.url` (or `$SELFMOA_BACKEND_URL`), or — when neither is
    /// set — the managed embedded `llama-server` running `configuration.model` (a name from
    /// `EmbeddedModel.catalogue`; the 0.5B default when unset), started on its first call.
    ///
    /// Never starts anything itself; a missing embedded default surfaces as `.notSetUp` on the
    /// first call (or at once from `EmbeddedDefault.check()`).
    public static func makeBackend(
        configuration: BackendConfiguration,
        environment: [String: String]? = nil,
        logger: Logger
    ) -> Backend {
        let environment = environment ?? ProcessEnvironment.current
        let configuration = configuration.resolvingEnvironment(environment)
        if let url = configuration.url {
            let key = configuration.apiKeyEnv.flatMap { environment[$0] }
            let model = OpenAICompatibleModel(
                url: url,
                apiKey: key,
                apiKeyEnv: configuration.apiKeyEnv,
                model: configuration.model,
                contextTokens: configuration.contextTokens,
                timeouts: configuration.timeouts,
                logger: logger
            )
            return Backend(model: model, managedServer: nil, url: url)
        }
        let model = EmbeddedModels(
            layout: EmbeddedDefault(environment: environment),
            model: configuration.model,
            options: configuration.embedded,
            contextTokens: configuration.contextTokens,
            timeouts: configuration.timeouts,
            logger: logger
        )
        return Backend(model: model, embedded: model, url: nil)
    }
}

extension BackendConfiguration {
    /// Whether `url` can be a backend's base URL: `http` or `https` with a host. The message
    /// when it cannot, naming `key`; `nil` when it can.
    public static func problem(withURL url: String, key: String = "backend.url") -> String? {
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = parsed.host, !host.isEmpty
        else { return "\(key) '\(url)' is not a valid http(s) URL (e.g. http://127.0.0.1:8080)" }
        return nil
    }

    /// This configuration with `url` taken from `SELFMOA_BACKEND_URL` when it is unset; an empty
    /// value means "unset".
    public func resolvingEnvironment(_ environment: [String: String]) -> BackendConfiguration {
        var copy = self
        if let url = copy.url, url.isEmpty { copy.url = nil }
        if copy.url == nil, let url = environment[ModelBackendFactory.urlEnvironmentVariable], !url.isEmpty {
            copy.url = url
        }
        return copy
    }
}
