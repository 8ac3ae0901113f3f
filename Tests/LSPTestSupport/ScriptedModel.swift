import ModelBackend
import Synchronization

/// A `LanguageModel` double for server tests: answers from a script, records every call, and
/// can hold its answers until released (to test cancellation and documents changing meanwhile).
public final class ScriptedModel: LanguageModel, Sendable {
    /// Produces the text of sample `index` for a request.
    public typealias Script = @Sendable (_ messages: [ChatMessage], _ index: Int) -> String

    private let script: Script
    private let failure: ModelBackendError?
    private struct State {
        var calls: [ChatRequest] = []
        var held = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        var cancellations = 0
    }
    private let state = Mutex(State())

    public init(failure: ModelBackendError? = nil, script: @escaping Script) {
        self.script = script
        self.failure = failure
    }

    /// Every chat request received, in order.
    public var calls: [ChatRequest] { state.withLock { $0.calls } }

    /// How many calls ended because their task was cancelled.
    public var cancellations: Int { state.withLock { $0.cancellations } }

    /// While held, calls wait (cancellably) until `release()`.
    public func hold() { state.withLock { $0.held = true } }

    public func release() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.held = false
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private func waitWhileHeld() async throws(ModelBackendError) {
        while state.withLock({ $0.held }) {
            if Task.isCancelled { break }
            try? await Task.sleep(for: .milliseconds(5))
        }
        if Task.isCancelled {
            state.withLock { $0.cancellations += 1 }
            throw ModelBackendError(.cancelled, "cancelled")
        }
    }

    public func capabilities() async throws(ModelBackendError) -> ModelCapabilities {
        ModelCapabilities(contextTokens: 16384, slots: 6, multipleSamples: true, tokenize: false, infill: false, model: "scripted")
    }

    public func complete(_ request: ChatRequest) async throws(ModelBackendError) -> [Completion] {
        state.withLock { $0.calls.append(request) }
        try await waitWhileHeld()
        if let failure { throw failure }
        return (0..<request.n).map { index in
            Completion(index: index, text: script(request.messages, index), finishReason: "stop",
                       usage: Usage(promptTokens: index == 0 ? 100 : 0, prefilledTokens: index == 0 ? 100 : 0, completionTokens: 20))
        }
    }

    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<StreamEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                self.state.withLock { $0.calls.append(request) }
                do {
                    try await self.waitWhileHeld()
                    if let failure = self.failure { throw failure }
                    let text = self.script(request.messages, 0)
                    continuation.yield(.delta(text))
                    continuation.yield(.finished(finishReason: "stop", usage: Usage(promptTokens: 150, prefilledTokens: 50, completionTokens: 30)))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func infill(_ request: InfillRequest) async throws(ModelBackendError) -> [Completion] {
        throw ModelBackendError(.unsupported, "no infill")
    }

    public func countTokens(_ text: String) async throws(ModelBackendError) -> Int {
        text.utf8.count / 3 + 1
    }
}

extension ChatMessage {
    /// All message text, for scripts that look for keywords.
    public static func joined(_ messages: [ChatMessage]) -> String {
        messages.map(\.content).joined(separator: "\n")
    }
}
