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
/// and whether `n` works — and caches what it found. Probes never wait for a generation slot
/// where the server can say what it supports: a llama.cpp server (its `/props` has
/// `build_info`) takes `n`, and its `/infill` answers a malformed request at once (400) when it
/// can fill in the middle. Elsewhere a one-token request asks; one that fails or times out
/// counts as unknown: the safe path is taken (separate requests, chat instead of infill), the
/// log says so, and that probe is tried again in the background later. Without the extras it
/// still works: concurrent single samples instead of `n`, an estimate instead of `/tokenize`,
/// and `infill` throws `.unsupported`.
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

    /// How long an unanswered capability probe waits before it counts as unknown, and how long
    /// until an unknown one is tried again.
    static let probeLimit: Duration = .seconds(10)
    static let reprobeDelay: Duration = .seconds(60)

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

        let llamaCpp = props.isSuccess && props.json?["build_info"] != nil
        let probedModel = model
        let probeLimit = min(limit, Self.probeLimit)
        async let tokenize = probeTokenize(limit: limit)
        async let infill = unknownOnFailure("infill") { () async throws(ModelBackendError) in
            try await self.probeInfill(llamaCpp: llamaCpp, limit: probeLimit)
        }
        async let multiple = unknownOnFailure("n") { () async throws(ModelBackendError) in
            llamaCpp ? true : try await self.probeMultipleSamples(model: probedModel, limit: probeLimit)
        }
        let found: (multiple: Bool?, tokenize: Bool, infill: Bool?)
        do {
            found = try await (multiple, tokenize, infill)
        } catch {
            throw transport.mapFailure(error)
        }
        if found.multiple == nil || found.infill == nil {
            scheduleReprobe(model: probedModel, llamaCpp: llamaCpp, multiple: found.multiple == nil, infill: found.infill == nil)
        }
        let capabilities = ModelCapabilities(
            contextTokens: contextOverride ?? contextTokens ?? Self.unknownContextTokens,
            slots: slots,
            multipleSamples: found.multiple ?? false,
            tokenize: found.tokenize,
            infill: found.infill ?? false,
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

    /// The answer of `probe`, or `nil` (unknown) when it failed or timed out for any reason
    /// but refused credentials or a missing model, which are the user's to fix.
    private func unknownOnFailure(
        _ name: String, _ probe: @escaping @Sendable () async throws(ModelBackendError) -> Bool
    ) async throws(ModelBackendError) -> Bool? {
        do {
            return try await probe()
        } catch {
            if error.code == .unauthorized || error.code == .modelNotFound { throw error }
            if Task.isCancelled { throw .cancelledByCaller }
            logger.notice("capability probe for \(name) got no answer (\(error.message)); taking the safe path until it is tried again in \(Self.reprobeDelay.secondsDescription)")
            return nil
        }
    }

    /// Tries the probes that got no answer again later, in the background, and upgrades the
    /// cached capabilities with what they find.
    private func scheduleReprobe(model: String?, llamaCpp: Bool, multiple: Bool, infill: Bool) {
        let delay = Self.reprobeDelay
        Task.detached { [self] in
            try? await Task.sleep(for: delay)
            let limit = min(transport.timeouts.firstToken, Self.probeLimit)
            let n = multiple ? try? await probeMultipleSamples(model: model, limit: limit) : nil
            let fim = infill ? try? await probeInfill(llamaCpp: llamaCpp, limit: limit) : nil
            probe.withLockedValue { state in
                guard case .done(var capabilities) = state else { return }
                if n == true { capabilities.multipleSamples = true }
                if fim == true { capabilities.infill = true }
                state = .done(capabilities)
            }
            let outcome = "n: \(n.map(String.init) ?? "still unknown"), infill: \(fim.map(String.init) ?? "still unknown")"
            logger.notice("capability probes tried again: \(outcome)")
        }
    }

    /// Whether the server fills in the middle. A llama.cpp server is asked with a malformed
    /// request it refuses at once (400) when it can, without taking a generation slot; 501
    /// means the model cannot. Other servers get a one-token request.
    private func probeInfill(llamaCpp: Bool, limit: Duration) async throws(ModelBackendError) -> Bool {
        if llamaCpp {
            let reply = try await transport.send(.POST, "/infill", body: ["input_extra": 0], limit: limit)
            return reply.status == 400 && (reply.json?["error"]?["message"]?.stringValue?.contains("input_extra") ?? false)
        }
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

    /// Whether the server has every slot busy with requests (llama.cpp's `/slots`, answered
    /// without a slot); `false` where the server cannot say.
    public func serverBusy() async -> Bool {
        guard let reply = try? await transport.send(.GET, "/slots", limit: .seconds(2)), reply.isSuccess,
              let slots = reply.json?.arrayValue, !slots.isEmpty
        else { return false }
        return slots.allSatisfy { $0["is_processing"]?.boolValue == true }
    }

    /// The caller's `BackendActivity.onWaiting`, worded for this server; `nil` when unset.
    var waitingReporter: (@Sendable () -> Void)? {
        guard let onWaiting = BackendActivity.onWaiting else { return nil }
        let url = self.url
        return { onWaiting("waiting for the model server: every slot of \(url) is busy with other requests") }
    }

    /// Runs a request that waits for its whole answer, telling the caller if it is queued.
    func queued<T: Sendable>(_ operation: @escaping @Sendable () async throws(ModelBackendError) -> T) async throws(ModelBackendError) -> T {
        do {
            return try await reportingQueue(busy: { await self.serverBusy() }, waiting: waitingReporter) {
                try await operation()
            }
        } catch let error as ModelBackendError {
            throw error
        } catch {
            throw transport.mapFailure(error)
        }
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
