import ModelBackend

/// A model that answers every call with one fixed text: replaying a proposal through the
/// product's own answer handling (code extraction, infill clean-up, re-indentation).
struct ReplayModel: LanguageModel {
    var text: String
    var infill: Bool

    func capabilities() async throws(ModelBackendError) -> ModelCapabilities {
        ModelCapabilities(contextTokens: 32768, slots: 1, multipleSamples: false, tokenize: false, infill: infill, model: "replay")
    }

    func complete(_ request: ChatRequest) async throws(ModelBackendError) -> [Completion] {
        (0..<max(1, request.n)).map { Completion(index: $0, text: text, finishReason: "stop") }
    }

    func stream(_ request: ChatRequest) -> AsyncThrowingStream<StreamEvent, any Error> {
        let text = text
        return AsyncThrowingStream { continuation in
            continuation.yield(.delta(text))
            continuation.yield(.finished(finishReason: "stop", usage: Usage()))
            continuation.finish()
        }
    }

    func infill(_ request: InfillRequest) async throws(ModelBackendError) -> [Completion] {
        (0..<max(1, request.n)).map { Completion(index: $0, text: text, finishReason: "stop") }
    }

    func countTokens(_ text: String) async throws(ModelBackendError) -> Int {
        text.utf8.count / 2 + 1
    }
}
