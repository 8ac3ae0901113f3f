import Logging
import ModelBackend

/// A model and how to release what stands behind it (the managed `llama-server`).
public struct ModelHandle: Sendable {
    public var model: any LanguageModel
    public var shutdown: @Sendable () async -> Void

    public init(model: any LanguageModel, shutdown: @escaping @Sendable () async -> Void = {}) {
        self.model = model
        self.shutdown = shutdown
    }

    /// The production factory: an HTTP client of the configured URL, or the managed embedded
    /// server (started lazily on the first call).
    public static let production: @Sendable (BackendConfiguration, Logger) -> ModelHandle = { configuration, logger in
        let backend = ModelBackendFactory.makeBackend(configuration: configuration, logger: logger)
        return ModelHandle(model: backend.model, shutdown: { await backend.shutdown() })
    }
}

/// Owns the current model: made on first use, replaced (and the old one shut down) when the
/// backend configuration changes, so one session never runs two managed servers.
actor ModelProvider {
    private let make: @Sendable (BackendConfiguration, Logger) -> ModelHandle
    private let logger: Logger
    private var configuration: BackendConfiguration
    private var handle: ModelHandle?

    init(configuration: BackendConfiguration, logger: Logger, make: @escaping @Sendable (BackendConfiguration, Logger) -> ModelHandle) {
        self.configuration = configuration
        self.logger = logger
        self.make = make
    }

    func model() -> any LanguageModel {
        if let handle { return handle.model }
        let made = make(configuration, logger)
        handle = made
        return made.model
    }

    func update(_ newConfiguration: BackendConfiguration) async {
        guard newConfiguration != configuration else { return }
        configuration = newConfiguration
        let old = handle
        handle = nil
        await old?.shutdown()
    }

    func shutdown() async {
        let old = handle
        handle = nil
        await old?.shutdown()
    }
}
