import ModelBackend
import Foundation
import SelfMoA

/// A scripted `LanguageModel` that records every call.
///
/// Each entry point runs a replaceable script; the defaults answer deterministically so tests can
/// tell proposals and syntheses apart: proposal texts are `proposal seed=S model=M`, the k-th
/// stream (0-based) streams `synthesis k` in three deltas. Scripts may block until cancelled
/// (`blockUntilCancelled`), which counts in `observedCancellations`.
final class ScriptedModel: LanguageModel, @unchecked Sendable {
    enum Call: Sendable, Hashable {
        case capabilities
        case complete(ChatRequest)
        case stream(ChatRequest)
        case infill(InfillRequest)
        case countTokens(String)
    }

    typealias CompleteScript = @Sendable (ChatRequest, _ callNumber: Int) async throws(ModelBackendError) -> [Completion]
    typealias InfillScript = @Sendable (InfillRequest, _ callNumber: Int) async throws(ModelBackendError) -> [Completion]
    typealias StreamScript = @Sendable (
        ChatRequest, _ callNumber: Int, _ yield: @Sendable (StreamEvent) -> Void
    ) async throws(ModelBackendError) -> Void

    private let lock = NSLock()
    private var _calls: [Call] = []
    private var _observedCancellations = 0
    private var _cancelledStreams = 0
    private var _capabilities: ModelCapabilities
    private var _complete: CompleteScript
    private var _infill: InfillScript
    private var _stream: StreamScript
    private var _countTokens: @Sendable (String) -> Int
    private var _capabilitiesError: ModelBackendError?

    static let defaultCapabilities = ModelCapabilities(
        contextTokens: 1_000_000, slots: 6, multipleSamples: true, tokenize: true, infill: false, model: "scripted"
    )

    init(capabilities: ModelCapabilities = ScriptedModel.defaultCapabilities) {
        _capabilities = capabilities
        _complete = ScriptedModel.defaultComplete
        _infill = ScriptedModel.defaultInfill
        _stream = ScriptedModel.defaultStream
        _countTokens = { ($0.utf8.count + 3) / 4 }
    }

    private func locked<T>(_ body: () -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        return body()
    }

    // MARK: Scripting

    var capabilitiesValue: ModelCapabilities {
        get { locked { _capabilities } }
        set { locked { _capabilities = newValue } }
    }
    var capabilitiesError: ModelBackendError? {
        get { locked { _capabilitiesError } }
        set { locked { _capabilitiesError = newValue } }
    }
    func onComplete(_ script: @escaping CompleteScript) { locked { _complete = script } }
    func onInfill(_ script: @escaping InfillScript) { locked { _infill = script } }
    func onStream(_ script: @escaping StreamScript) { locked { _stream = script } }
    func onCountTokens(_ script: @escaping @Sendable (String) -> Int) { locked { _countTokens = script } }

    // MARK: Recording

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
    var countedTexts: [String] {
        calls.compactMap { if case .countTokens(let text) = $0 { return text } else { return nil } }
    }
    /// Scripts that were blocked and saw their task cancelled.
    var observedCancellations: Int { locked { _observedCancellations } }
    /// Streams whose consumer went away before they finished.
    var cancelledStreams: Int { locked { _cancelledStreams } }

    /// Records `call` and returns its number among calls of the same kind (0-based).
    private func record(_ call: Call) -> Int {
        locked {
            _calls.append(call)
            return _calls.filter { Self.kind($0) == Self.kind(call) }.count - 1
        }
    }

    private static func kind(_ call: Call) -> Int {
        switch call {
        case .capabilities: return 0
        case .complete: return 1
        case .stream: return 2
        case .infill: return 3
        case .countTokens: return 4
        }
    }

    /// Blocks until the current task is cancelled (or 10 s pass), then throws `.cancelled`.
    func blockUntilCancelled() async throws(ModelBackendError) -> Never {
        try? await Task.sleep(for: .seconds(10))
        if Task.isCancelled { locked { _observedCancellations += 1 } }
        throw ModelBackendError(.cancelled, "cancelled")
    }

    // MARK: LanguageModel

    func capabilities() async throws(ModelBackendError) -> ModelCapabilities {
        _ = record(.capabilities)
        if let error = capabilitiesError { throw error }
        return capabilitiesValue
    }

    func complete(_ request: ChatRequest) async throws(ModelBackendError) -> [Completion] {
        let number = record(.complete(request))
        let script = locked { _complete }
        return try await script(request, number)
    }

    func stream(_ request: ChatRequest) -> AsyncThrowingStream<StreamEvent, any Error> {
        let number = record(.stream(request))
        let script = locked { _stream }
        return AsyncThrowingStream { continuation in
            let producer = Task {
                do throws(ModelBackendError) {
                    try await script(request, number) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { [weak self] termination in
                if case .cancelled = termination { self?.locked { self?._cancelledStreams += 1 } }
                producer.cancel()
            }
        }
    }

    func infill(_ request: InfillRequest) async throws(ModelBackendError) -> [Completion] {
        let number = record(.infill(request))
        let script = locked { _infill }
        return try await script(request, number)
    }

    func countTokens(_ text: String) async throws(ModelBackendError) -> Int {
        _ = record(.countTokens(text))
        return locked { _countTokens }(text)
    }

    // MARK: Default scripts

    static func proposalText(seed: UInt32?, model: String?) -> String {
        "proposal seed=\(seed.map(String.init) ?? "-") model=\(model ?? "-")"
    }

    /// `n` samples; the prompt's usage on sample 0 only (100 prompt, 100 prefilled), 10
    /// completion tokens each.
    static let defaultComplete: CompleteScript = { request, _ in
        samples(request.n, options: request.options)
    }

    static let defaultInfill: InfillScript = { request, _ in
        (0..<request.n).map { index in
            Completion(
                index: index, text: "infill seed=\(request.options.seed.map { String($0 &+ UInt32(index)) } ?? "-")",
                finishReason: "stop",
                usage: Usage(promptTokens: index == 0 ? 80 : 0, prefilledTokens: index == 0 ? 80 : 0, completionTokens: 5)
            )
        }
    }

    /// Streams `synthesis k` for the k-th stream; usage 200 prompt, 50 prefilled, 20 completion.
    static let defaultStream: StreamScript = { _, number, yield in
        yield(.delta("synth"))
        yield(.delta("esis "))
        yield(.delta("\(number)"))
        yield(.finished(finishReason: "stop", usage: Usage(promptTokens: 200, prefilledTokens: 50, completionTokens: 20)))
    }

    static func samples(_ n: Int, options: SamplingOptions, indices: [Int]? = nil) -> [Completion] {
        (indices ?? Array(0..<n)).map { index in
            Completion(
                index: index,
                text: proposalText(seed: options.seed.map { $0 &+ UInt32(index) }, model: options.model),
                finishReason: "stop",
                usage: Usage(
                    promptTokens: index == 0 ? 100 : 0, prefilledTokens: index == 0 ? 100 : 0, completionTokens: 10
                )
            )
        }
    }
}

extension ScriptedModel {
    /// A model whose proposal k (by seed, from the fixtures' base seed 1000) answers `texts[k]`.
    static func answering(bySeed texts: [String]) -> ScriptedModel {
        let model = ScriptedModel()
        model.onComplete { request, _ in
            (0..<request.n).map { sample in
                let index = Int((request.options.seed ?? 1000) &+ UInt32(sample)) - 1000
                return Completion(index: sample, text: texts[index], finishReason: "stop", usage: Usage(completionTokens: 5))
            }
        }
        return model
    }
}
