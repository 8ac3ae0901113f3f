import Logging
import NIOConcurrencyHelpers

/// A `LanguageModel` served by a `ManagedLlamaServer`: each call first makes sure the server runs
/// (starting it on the first call), then goes through an `OpenAICompatibleModel` bound to it.
///
/// When a call fails because the server died, the call reports `.serverCrashed` (with the end of
/// the server's log) and the next call starts a new server.
public final class ManagedLanguageModel: LanguageModel {
    /// The server this model runs on.
    public let server: ManagedLlamaServer
    private let contextTokens: Int?
    private let timeouts: BackendConfiguration.Timeouts
    private let logger: Logger
    private let client = NIOLockedValueBox<(generation: Int, model: OpenAICompatibleModel)?>(nil)

    /// - Parameter contextTokens: overrides the per-slot context the server reports.
    public init(server: ManagedLlamaServer, contextTokens: Int? = nil, timeouts: BackendConfiguration.Timeouts = .init(), logger: Logger) {
        self.server = server
        self.contextTokens = contextTokens
        self.timeouts = timeouts
        self.logger = logger
    }

    private func model() async throws(ModelBackendError) -> (OpenAICompatibleModel, ManagedLlamaServer.Endpoint) {
        let endpoint = try await server.endpoint()
        let model = client.withLockedValue { current in
            if let current, current.generation == endpoint.generation { return current.model }
            let model = OpenAICompatibleModel(
                url: endpoint.url,
                apiKey: endpoint.apiKey.value,
                apiKeyEnv: nil,
                model: nil,
                contextTokens: contextTokens,
                timeouts: timeouts,
                logger: logger
            )
            current = (endpoint.generation, model)
            return model
        }
        return (model, endpoint)
    }

    private func perform<T: Sendable>(
        _ body: (OpenAICompatibleModel) async throws(ModelBackendError) -> T
    ) async throws(ModelBackendError) -> T {
        let (model, endpoint) = try await model()
        do {
            let result = try await body(model)
            await server.noteSuccess()
            return result
        } catch {
            if Self.mayMeanACrash(error), let crash = await server.crashError(for: endpoint) { throw crash }
            throw error
        }
    }

    /// Failures a dead server causes; only these are worth checking the process for.
    static func mayMeanACrash(_ error: ModelBackendError) -> Bool {
        [.unreachable, .serverError, .badResponse, .timeout].contains(error.code)
    }

    public func capabilities() async throws(ModelBackendError) -> ModelCapabilities {
        try await perform { model async throws(ModelBackendError) in try await model.capabilities() }
    }

    public func complete(_ request: ChatRequest) async throws(ModelBackendError) -> [Completion] {
        try await perform { model async throws(ModelBackendError) in try await model.complete(request) }
    }

    public func infill(_ request: InfillRequest) async throws(ModelBackendError) -> [Completion] {
        try await perform { model async throws(ModelBackendError) in try await model.infill(request) }
    }

    public func countTokens(_ text: String) async throws(ModelBackendError) -> Int {
        try await perform { model async throws(ModelBackendError) in try await model.countTokens(text) }
    }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<StreamEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                var endpoint: ManagedLlamaServer.Endpoint?
                do {
                    let (model, current) = try await self.model()
                    endpoint = current
                    for try await event in model.stream(request) {
                        continuation.yield(event)
                    }
                    await self.server.noteSuccess()
                    continuation.finish()
                } catch {
                    var failure = (error as? ModelBackendError) ?? .cancelledByCaller
                    if Self.mayMeanACrash(failure), let endpoint, let crash = await self.server.crashError(for: endpoint) {
                        failure = crash
                    }
                    continuation.finish(throwing: failure)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
