import Logging
import NIOConcurrencyHelpers

/// The embedded backend as a `LanguageModel`: a managed `llama-server` running the configured
/// catalogue model, plus one more managed server for each other catalogue model a request names.
///
/// A request whose `options.model` is unset or names the configured model goes to the main
/// server. One naming another catalogue model — typically the aggregation, with
/// `aggregatorModel: "qwen2.5-coder-1.5b"` — goes to a server for that model, started on the
/// first such request (and only if setup installed the model: otherwise `.notSetUp` says how).
/// A name outside the catalogue fails with `.modelNotFound` rather than being silently ignored,
/// as one `llama-server` would. Capabilities and token counts come from the main server: the
/// catalogue's models share one tokenizer.
public final class EmbeddedModels: LanguageModel {
    /// The main server's model, or `nil` when `backend.model` names none of the catalogue.
    public let model: EmbeddedModel?
    /// The main server (started on the first call).
    public let server: ManagedLlamaServer
    private let requestedName: String?
    private let layout: EmbeddedDefault
    private let options: EmbeddedServerOptions
    private let contextTokens: Int?
    private let timeouts: BackendConfiguration.Timeouts
    private let logger: Logger
    private let main: ManagedLanguageModel
    private let others = NIOLockedValueBox<[EmbeddedModel: ManagedLanguageModel]>([:])

    /// - Parameter name: `backend.model`; `nil` runs the embedded default.
    public init(
        layout: EmbeddedDefault, model name: String?, options: EmbeddedServerOptions, contextTokens: Int?,
        timeouts: BackendConfiguration.Timeouts, logger: Logger
    ) {
        let model: EmbeddedModel? = if let name { EmbeddedModel.named(name) } else { .qwenCoder05B }
        self.model = model
        self.requestedName = name
        self.layout = layout
        self.options = options
        self.contextTokens = contextTokens
        self.timeouts = timeouts
        self.logger = logger
        server = ManagedLlamaServer(
            configuration: .embedded(layout, model: model ?? .qwenCoder05B, options: options), logger: logger
        )
        main = ManagedLanguageModel(server: server, contextTokens: contextTokens, timeouts: timeouts, logger: logger)
    }

    /// Every server created so far, the main one first.
    public var servers: [ManagedLlamaServer] {
        [server] + others.withLockedValue { others in others.keys.sorted { $0.name < $1.name }.compactMap { others[$0]?.server } }
    }

    /// The model that serves a request naming `name`.
    func route(_ name: String?) throws(ModelBackendError) -> ManagedLanguageModel {
        guard let model else {
            throw Self.unknown(requestedName ?? "", key: "backend.model")
        }
        if model != .qwenCoder05B { try layout.check([model]) }
        guard let name, !name.isEmpty else { return main }
        guard let wanted = EmbeddedModel.named(name) else { throw Self.unknown(name, key: "the model setting") }
        if wanted == model { return main }
        try layout.check([wanted])
        return others.withLockedValue { others in
            if let existing = others[wanted] { return existing }
            var configuration = ManagedLlamaServer.Configuration.embedded(layout, model: wanted, options: options)
            // One request at a time per action is the common case; two slots let a second
            // document's aggregation run without queueing.
            configuration.slots = min(2, max(1, options.slots))
            configuration.logName = "llama-server-\(wanted.name)"
            let server = ManagedLlamaServer(configuration: configuration, logger: logger)
            let created = ManagedLanguageModel(server: server, contextTokens: contextTokens, timeouts: timeouts, logger: logger)
            others[wanted] = created
            return created
        }
    }

    static func unknown(_ name: String, key: String) -> ModelBackendError {
        ModelBackendError(
            .modelNotFound,
            "'\(name)' (\(key)) is not a model the embedded backend can run (it has \(EmbeddedModel.knownNames)); use one of those, or set backend.url to a server that has '\(name)'"
        )
    }

    public func capabilities() async throws(ModelBackendError) -> ModelCapabilities {
        try await route(nil).capabilities()
    }

    public func complete(_ request: ChatRequest) async throws(ModelBackendError) -> [Completion] {
        try await route(request.options.model).complete(request)
    }

    public func infill(_ request: InfillRequest) async throws(ModelBackendError) -> [Completion] {
        try await route(request.options.model).infill(request)
    }

    public func countTokens(_ text: String) async throws(ModelBackendError) -> Int {
        try await route(nil).countTokens(text)
    }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<StreamEvent, any Error> {
        do {
            return try route(request.options.model).stream(request)
        } catch {
            return AsyncThrowingStream { $0.finish(throwing: error) }
        }
    }

    /// Stops every server.
    public func shutdown() async {
        for server in servers { await server.shutdown() }
    }

    /// Signals every server to stop, without waiting.
    public func terminateImmediately() {
        for server in servers { server.terminateImmediately() }
    }
}
