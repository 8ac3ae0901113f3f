import AsyncHTTPClient
import JSON
import Logging
import NIOConcurrencyHelpers
import NIOHTTP1

/// A `LanguageModel` over any OpenAI-compatible server, using llama.cpp's extras where the
/// server has them.
///
/// Calls `POST {url}/v1/chat/completions` (non-streaming for `complete`, SSE for `stream`). The
/// first call probes the server once — `/health`, `/props`, `/v1/models`, `/tokenize`, `/infill`
/// and a two-choice request that tells whether `n` works — and caches what it found. Without the
/// extras it still works: concurrent single samples instead of `n`, an estimate instead of
/// `/tokenize`, and `infill` throws `.unsupported`.
///
/// Cancelling the calling task cancels the HTTP request, which closes its connection so the
/// server frees the slot. The API key is sent as `Authorization: Bearer …` and never appears in
/// errors or logs.
public final class OpenAICompatibleModel: LanguageModel {
    let transport: HTTPTransport
    let configuredModel: String?
    let contextOverride: Int?
    let logger: Logger
    private let probe = NIOLockedValueBox<ProbeState>(.idle)

    private enum ProbeState {
        case idle
        case running(Task<ModelCapabilities, any Error>)
        case done(ModelCapabilities)
    }

    /// A client of the server at `url` (with or without a trailing `/v1`).
    ///
    /// - Parameters:
    ///   - apiKey: sent as a bearer token; `nil` or empty sends none.
    ///   - apiKeyEnv: the name of the environment variable the key came from, named in messages
    ///     about refused credentials.
    ///   - model: the model to request; `nil` uses the one the server reports.
    ///   - contextTokens: overrides the context window the server reports.
    public init(
        url: String,
        apiKey: String? = nil,
        apiKeyEnv: String? = nil,
        model: String? = nil,
        contextTokens: Int? = nil,
        timeouts: BackendConfiguration.Timeouts = .init(),
        logger: Logger
    ) {
        var logger = logger
        logger[metadataKey: "backend"] = "\(url)"
        self.transport = HTTPTransport(url: url, apiKey: apiKey, apiKeyEnv: apiKeyEnv, timeouts: timeouts, logger: logger)
        self.configuredModel = model
        self.contextOverride = contextTokens
        self.logger = logger
    }

    /// The URL this model talks to, as configured.
    public var url: String { transport.displayURL }

    // MARK: Capabilities

    public func capabilities() async throws(ModelBackendError) -> ModelCapabilities {
        enum Next { case ready(ModelCapabilities), wait(Task<ModelCapabilities, any Error>) }
        let next: Next = probe.withLockedValue { state in
            switch state {
            case .done(let capabilities):
                return .ready(capabilities)
            case .running(let task):
                return .wait(task)
            case .idle:
                let task = Task { try await self.probeCapabilities() }
                state = .running(task)
                return .wait(task)
            }
        }
        guard case .wait(let task) = next else {
            if case .ready(let capabilities) = next { return capabilities }
            fatalError("unreachable")
        }
        do {
            // The probe is shared by every caller, so a cancelled caller stops waiting for it
            // without cancelling it.
            let capabilities = try await cancellableValue(of: task)
            probe.withLockedValue { state in
                if case .running = state { state = .done(capabilities) }
            }
            return capabilities
        } catch {
            if Task.isCancelled { throw .cancelledByCaller }
            probe.withLockedValue { state in
                if case .running = state { state = .idle }
            }
            throw transport.mapFailure(error)
        }
    }

    /// Forgets what the last probe found; the next call probes again.
    public func resetCapabilities() {
        probe.withLockedValue { $0 = .idle }
    }

    /// Records that `n` turned out not to work although the probe said it did.
    func downgradeMultipleSamples() {
        probe.withLockedValue { state in
            if case .done(var capabilities) = state, capabilities.multipleSamples {
                capabilities.multipleSamples = false
                state = .done(capabilities)
                logger.info("the server returned fewer choices than asked; using concurrent requests from now on")
            }
        }
    }

    private func probeCapabilities() async throws(ModelBackendError) -> ModelCapabilities {
        let limit = transport.timeouts.firstToken
        let clock = ContinuousClock()
        let deadline = clock.now + limit

        // /health: llama.cpp answers 503 while it loads the model.
        var health = try await transport.send(.GET, "/health", limit: limit)
        while health.status == 503, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(250))
            if Task.isCancelled { throw .cancelledByCaller }
            health = try await transport.send(.GET, "/health", limit: limit)
        }
        if health.status == 503 {
            throw ModelBackendError(
                .serverError,
                "the server at \(url) is still loading its model after \(limit.secondsDescription); try again shortly"
            )
        }
        if health.status == 401 || health.status == 403 { throw transport.failure(for: health, path: "/health", model: nil) }

        var contextTokens: Int?
        var slots = 1
        var model = configuredModel
        let props = try await transport.send(.GET, "/props", limit: limit)
        if props.status == 401 || props.status == 403 { throw transport.failure(for: props, path: "/props", model: nil) }
        if props.isSuccess, let json = props.json, json.objectValue != nil {
            contextTokens = (json["default_generation_settings"]?["n_ctx"] ?? json["n_ctx"])?.intValue.map(Int.init)
            slots = json["total_slots"]?.intValue.map { max(1, Int($0)) } ?? 1
            if model == nil {
                model = (json["model_alias"]?.stringValue ?? json["model_path"]?.stringValue).map(Self.baseName)
            }
        }
        if model == nil {
            let models = try await transport.send(.GET, "/v1/models", limit: limit)
            if models.status == 401 || models.status == 403 { throw transport.failure(for: models, path: "/v1/models", model: nil) }
            if models.isSuccess, let first = models.json?["data"]?.arrayValue?.first {
                model = first["id"]?.stringValue
            }
        }

        async let tokenize = probeTokenize(limit: limit)
        async let infill = probeInfill(limit: limit)
        async let multiple = probeMultipleSamples(model: model, limit: limit)
        let found: (multiple: Bool, tokenize: Bool, infill: Bool)
        do {
            found = try await (multiple, tokenize, infill)
        } catch {
            throw transport.mapFailure(error)
        }
        let capabilities = ModelCapabilities(
            contextTokens: contextOverride ?? contextTokens ?? Self.unknownContextTokens,
            slots: slots,
            multipleSamples: found.multiple,
            tokenize: found.tokenize,
            infill: found.infill,
            model: model ?? "default"
        )
        logger.debug(
            "backend capabilities",
            metadata: [
                "contextTokens": "\(capabilities.contextTokens)", "slots": "\(capabilities.slots)",
                "n": "\(capabilities.multipleSamples)", "tokenize": "\(capabilities.tokenize)",
                "infill": "\(capabilities.infill)", "model": "\(capabilities.model)",
            ]
        )
        return capabilities
    }

    /// The context assumed when the server does not say (and no override is configured).
    public static let unknownContextTokens = 4096

    private func probeTokenize(limit: Duration) async throws(ModelBackendError) -> Bool {
        let reply = try await transport.send(.POST, "/tokenize", body: ["content": "def probe(): pass"], limit: limit)
        return reply.isSuccess && (reply.json?["tokens"]?.arrayValue?.isEmpty == false)
    }

    private func probeInfill(limit: Duration) async throws(ModelBackendError) -> Bool {
        let body: JSONValue = [
            "input_prefix": "def probe():\n    ", "input_suffix": "\n", "n_predict": 1, "temperature": 0.0,
            "cache_prompt": true,
        ]
        let reply = try await transport.send(.POST, "/infill", body: body, limit: limit)
        guard reply.isSuccess, let json = reply.json else { return false }
        return OpenAIPayload.infillChoices(json) != nil
    }

    /// Asks for two choices of one token: `n` works when both come back with distinct indexes.
    private func probeMultipleSamples(model: String?, limit: Duration) async throws(ModelBackendError) -> Bool {
        let body = OpenAIPayload.chatBody(
            messages: [.user("Reply with OK.")],
            options: SamplingOptions(temperature: 0, seed: 1, maxTokens: 1),
            model: model,
            n: 2,
            seed: 1,
            stream: false
        )
        let reply = try await transport.send(.POST, "/v1/chat/completions", body: body, limit: limit)
        if reply.status == 401 || reply.status == 403 {
            throw transport.failure(for: reply, path: "/v1/chat/completions", model: model)
        }
        if reply.status == 404 { throw transport.failure(for: reply, path: "/v1/chat/completions", model: model) }
        guard reply.isSuccess, let json = reply.json, let choices = OpenAIPayload.chatChoices(json) else { return false }
        return Set(choices.map(\.index)) == [0, 1]
    }

    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// The model name requests carry.
    func requestModel(_ options: SamplingOptions) async throws(ModelBackendError) -> String? {
        if let model = options.model ?? configuredModel { return model }
        return try await capabilities().model
    }

    // MARK: Tokens

    public func countTokens(_ text: String) async throws(ModelBackendError) -> Int {
        if text.isEmpty { return 0 }
        guard try await capabilities().tokenize else { return Self.estimateTokens(text) }
        let json = try await transport.call(.POST, "/tokenize", body: ["content": .string(text)], limit: transport.timeouts.firstToken)
        guard let tokens = json["tokens"]?.arrayValue else {
            throw .badResponse(url, "/tokenize returned no tokens array")
        }
        return tokens.count
    }

    /// A conservative token count: UTF-8 bytes / 2.5, rounded up. Tokenizers of code models
    /// average 3–4 bytes per token on source code, so this overcounts rather than under.
    public static func estimateTokens(_ text: String) -> Int {
        (text.utf8.count * 2 + 4) / 5
    }
}
