import ModelBackend
import SelfMoA
import Foundation
import Assistant

/// A scripted `LanguageModel` that records every call.
///
/// By default: proposals (chat or infill) answer with the texts in `proposalTexts` (cycled), and
/// every stream (the aggregation, a single answer, a prose action's draft) streams `synthesis`
/// in two deltas. Scripts replace either;
/// `answers`, when set, answers the chat requests it returns texts for (by the request), e.g.
/// a review's repair requests.
final class ScriptedModel: LanguageModel, @unchecked Sendable {
    enum Call: Sendable, Hashable {
        case capabilities
        case complete(ChatRequest)
        case stream(ChatRequest)
        case infill(InfillRequest)
        case countTokens(String)
    }

    private let lock = NSLock()
    private var _calls: [Call] = []
    private var _capabilities: ModelCapabilities
    private var _proposalTexts: [String]
    private var _synthesis: String
    private var _streamError: ModelBackendError?
    private var _answers: (@Sendable (ChatRequest) -> [String]?)?
    private var _finishReason = "stop"
    private var _completeError: (@Sendable (ChatRequest) -> ModelBackendError?)?
    private var _infillAnswers: (@Sendable (InfillRequest) -> [String]?)?
    private var _finishReasonOf: (@Sendable (ChatRequest) -> String?)?
    private var _infillFinishReasonOf: (@Sendable (InfillRequest) -> String?)?
    private var _streamFinishReason: String?

    init(
        proposals: [String] = ["proposal"], synthesis: String = "synthesis", infill: Bool = false,
        contextTokens: Int = 1_000_000
    ) {
        _capabilities = ModelCapabilities(
            contextTokens: contextTokens, slots: 6, multipleSamples: true, tokenize: true, infill: infill,
            model: "scripted"
        )
        _proposalTexts = proposals
        _synthesis = synthesis
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    var synthesis: String {
        get { locked { _synthesis } }
        set { locked { _synthesis = newValue } }
    }
    /// Every aggregation stream fails with this error (the engine then falls back).
    var streamError: ModelBackendError? {
        get { locked { _streamError } }
        set { locked { _streamError = newValue } }
    }

    /// Texts for the chat requests it recognises (cycled over `n`); `nil` from it: the default.
    var answers: (@Sendable (ChatRequest) -> [String]?)? {
        get { locked { _answers } }
        set { locked { _answers = newValue } }
    }

    /// Why every answer ends: `stop`, or `length` for answers the token cap cut off.
    var finishReason: String {
        get { locked { _finishReason } }
        set { locked { _finishReason = newValue } }
    }

    /// Why the chat requests it recognises end (`finishReason` for the others).
    var finishReasonOf: (@Sendable (ChatRequest) -> String?)? {
        get { locked { _finishReasonOf } }
        set { locked { _finishReasonOf = newValue } }
    }

    /// Why every stream ends, when set (`finishReason` otherwise).
    var streamFinishReason: String? {
        get { locked { _streamFinishReason } }
        set { locked { _streamFinishReason = newValue } }
    }

    /// Texts for the infill requests it recognises (cycled over `n`); `nil` from it: the default.
    var infillAnswers: (@Sendable (InfillRequest) -> [String]?)? {
        get { locked { _infillAnswers } }
        set { locked { _infillAnswers = newValue } }
    }

    /// Why the infill requests it recognises end (`finishReason` for the others).
    var infillFinishReasonOf: (@Sendable (InfillRequest) -> String?)? {
        get { locked { _infillFinishReasonOf } }
        set { locked { _infillFinishReasonOf = newValue } }
    }

    /// The chat requests it fails (by the request), and with what error.
    var completeError: (@Sendable (ChatRequest) -> ModelBackendError?)? {
        get { locked { _completeError } }
        set { locked { _completeError = newValue } }
    }

    var calls: [Call] { locked { _calls } }
    var completeRequests: [ChatRequest] {
        calls.compactMap { if case .complete(let request) = $0 { return request } else { return nil } }
    }
    var streamRequests: [ChatRequest] {
        calls.compactMap { if case .stream(let request) = $0 { return request } else { return nil } }
    }
    var infillRequests: [InfillRequest] {
        calls.compactMap { if case .infill(let request) = $0 { return request } else { return nil } }
    }

    private func record(_ call: Call) { locked { _calls.append(call) } }

    private func samples(_ n: Int, texts scripted: [String]? = nil, finishReason reason: String? = nil) -> [Completion] {
        let texts = scripted ?? locked { _proposalTexts }
        let finishReason = reason ?? self.finishReason
        return (0..<n).map { index in
            Completion(
                index: index, text: texts[index % texts.count], finishReason: finishReason,
                usage: Usage(promptTokens: index == 0 ? 100 : 0, prefilledTokens: index == 0 ? 100 : 0, completionTokens: 10)
            )
        }
    }

    func capabilities() async throws(ModelBackendError) -> ModelCapabilities {
        record(.capabilities)
        return locked { _capabilities }
    }

    func complete(_ request: ChatRequest) async throws(ModelBackendError) -> [Completion] {
        record(.complete(request))
        if let error = locked({ _completeError })?(request) { throw error }
        let scripted = locked { _answers }?(request)
        return samples(request.n, texts: scripted, finishReason: locked { _finishReasonOf }?(request))
    }

    func infill(_ request: InfillRequest) async throws(ModelBackendError) -> [Completion] {
        record(.infill(request))
        return samples(request.n, texts: locked { _infillAnswers }?(request), finishReason: locked { _infillFinishReasonOf }?(request))
    }

    /// Streams that aggregate (their prompt lists candidates).
    var aggregationRequests: [ChatRequest] {
        streamRequests.filter { isAggregation($0) }
    }

    /// Streams of a draft: proposal 0 of a prose action.
    var draftRequests: [ChatRequest] {
        streamRequests.filter { !isAggregation($0) }
    }

    private func isAggregation(_ request: ChatRequest) -> Bool {
        request.messages.contains { $0.content.contains("<candidate 1>") }
    }

    func stream(_ request: ChatRequest) -> AsyncThrowingStream<StreamEvent, any Error> {
        record(.stream(request))
        let (text, error, finishReason) = locked { (_synthesis, _streamError, _streamFinishReason ?? _finishReason) }
        return AsyncThrowingStream { continuation in
            if let error {
                continuation.finish(throwing: error)
                return
            }
            let middle = text.index(text.startIndex, offsetBy: text.count / 2)
            continuation.yield(.delta(String(text[..<middle])))
            continuation.yield(.delta(String(text[middle...])))
            continuation.yield(.finished(
                finishReason: finishReason, usage: Usage(promptTokens: 200, prefilledTokens: 50, completionTokens: 20)
            ))
            continuation.finish()
        }
    }

    func countTokens(_ text: String) async throws(ModelBackendError) -> Int {
        record(.countTokens(text))
        return (text.utf8.count + 3) / 4
    }
}

/// The candidate texts of an aggregation request, parsed from `<candidate N>` tags.
func candidates(of request: ChatRequest) -> [String] {
    let text = request.messages.map(\.content).joined(separator: "\n")
    var result: [String] = []
    var rest = Substring(text)
    while let open = rest.firstRange(of: "<candidate \(result.count + 1)>\n") {
        guard let end = rest[open.upperBound...].firstRange(of: "\n</candidate \(result.count + 1)>") else { break }
        result.append(String(rest[open.upperBound..<end.lowerBound]))
        rest = rest[end.upperBound...]
    }
    return result
}

/// Splits a document marked with `⟨` and `⟩` (a selection) or `‸` (a cursor) into its text and
/// the UTF-8 byte range of the marks.
func marked(_ source: String) -> (text: String, selection: Range<Int>) {
    var text = ""
    var start: Int?
    var end: Int?
    for character in source {
        switch character {
        case "‸":
            start = text.utf8.count
            end = start
        case "⟨": start = text.utf8.count
        case "⟩": end = text.utf8.count
        default: text.append(character)
        }
    }
    return (text, (start ?? 0)..<(end ?? start ?? 0))
}

/// Collects progress events from any task.
final class ProgressLog: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [SelfMoAProgress] = []

    func append(_ event: SelfMoAProgress) {
        lock.lock()
        events.append(event)
        lock.unlock()
    }

    var all: [SelfMoAProgress] {
        lock.lock()
        defer { lock.unlock() }
        return events
    }
}
