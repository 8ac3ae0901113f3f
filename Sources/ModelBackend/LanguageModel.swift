/// The port through which the Self-MoA engine reaches a model.
///
/// `ModelBackend` owns everything about talking to a model server: this protocol and its value
/// types, the OpenAI-compatible HTTP client (`OpenAICompatibleModel`), llama.cpp's extras and the
/// managed embedded `llama-server`. The engine (`SelfMoA`) sees only this protocol, so its tests
/// run against a scripted double and the product runs against real servers.
public protocol LanguageModel: Sendable {
    /// What the backend can do, probed once and then cached by the implementation.
    func capabilities() async throws(ModelBackendError) -> ModelCapabilities

    /// Samples `request.n` completions of a chat. When the backend supports `n` the prompt is
    /// prefilled once and shared; otherwise the implementation issues concurrent single-sample
    /// calls with seeds `seed, seed+1, …`. Returns one `Completion` per sample that succeeded,
    /// in index order; throws only when none did.
    func complete(_ request: ChatRequest) async throws(ModelBackendError) -> [Completion]

    /// Streams one completion of a chat (`request.n` is ignored): text deltas as they are
    /// generated, then a final event with usage. Cancelling the consuming task closes the stream
    /// so the server frees its slot.
    func stream(_ request: ChatRequest) -> AsyncThrowingStream<StreamEvent, any Error>

    /// Fill-in-the-middle: samples `request.n` completions of the text between a prefix and a
    /// suffix. Throws `.unsupported` when the backend has no infill endpoint (`capabilities().infill`).
    func infill(_ request: InfillRequest) async throws(ModelBackendError) -> [Completion]

    /// Counts tokens exactly where the backend can (`/tokenize`), otherwise a conservative
    /// estimate that never undercounts typical code.
    func countTokens(_ text: String) async throws(ModelBackendError) -> Int
}

/// What a backend supports, as probed.
public struct ModelCapabilities: Sendable, Hashable {
    /// Context window of one slot, in tokens (`n_ctx` per slot on llama.cpp).
    public var contextTokens: Int
    /// Parallel slots the server runs (1 when unknown).
    public var slots: Int
    /// `n` > 1 in one request, prompt prefilled once.
    public var multipleSamples: Bool
    /// An exact tokenizer endpoint.
    public var tokenize: Bool
    /// A fill-in-the-middle endpoint.
    public var infill: Bool
    /// The model name the server reports or was configured with.
    public var model: String

    public init(contextTokens: Int, slots: Int, multipleSamples: Bool, tokenize: Bool, infill: Bool, model: String) {
        self.contextTokens = contextTokens
        self.slots = slots
        self.multipleSamples = multipleSamples
        self.tokenize = tokenize
        self.infill = infill
        self.model = model
    }
}

/// One chat message.
public struct ChatMessage: Sendable, Hashable {
    /// Who speaks.
    public enum Role: String, Sendable, Hashable { case system, user, assistant }
    public var role: Role
    public var content: String

    public init(role: Role, content: String) {
        self.role = role
        self.content = content
    }

    public static func system(_ content: String) -> ChatMessage { ChatMessage(role: .system, content: content) }
    public static func user(_ content: String) -> ChatMessage { ChatMessage(role: .user, content: content) }
    public static func assistant(_ content: String) -> ChatMessage { ChatMessage(role: .assistant, content: content) }
}

/// How to sample.
public struct SamplingOptions: Sendable, Hashable {
    public var temperature: Double
    /// Seed of the first sample; sample `k` uses `seed + k`. `nil` lets the server choose.
    public var seed: UInt32?
    public var maxTokens: Int
    public var stop: [String]
    /// Overrides the backend's configured model (Mixed-MoA proposers).
    public var model: String?

    public init(temperature: Double, seed: UInt32? = nil, maxTokens: Int, stop: [String] = [], model: String? = nil) {
        self.temperature = temperature
        self.seed = seed
        self.maxTokens = maxTokens
        self.stop = stop
        self.model = model
    }
}

/// A chat completion request for `n` samples.
public struct ChatRequest: Sendable, Hashable {
    public var messages: [ChatMessage]
    public var options: SamplingOptions
    public var n: Int

    public init(messages: [ChatMessage], options: SamplingOptions, n: Int = 1) {
        self.messages = messages
        self.options = options
        self.n = n
    }
}

/// A file shown to the model before an infill request's prefix, under its name: the way a
/// fill-in-the-middle model was trained on a repository's other files (llama-server's
/// `input_extra`, each after the model's file-separator token).
public struct InfillFile: Sendable, Hashable {
    /// The file's name as shown (`llama-graph.h`).
    public var name: String
    /// Its text, or the part of it shown.
    public var text: String

    public init(name: String, text: String) {
        self.name = name
        self.text = text
    }
}

/// A fill-in-the-middle request for `n` samples.
public struct InfillRequest: Sendable, Hashable {
    public var prefix: String
    public var suffix: String
    /// Other files (or parts of the file itself) placed before the prefix, in order.
    public var extraContext: [InfillFile]
    public var options: SamplingOptions
    public var n: Int

    public init(prefix: String, suffix: String, extraContext: [InfillFile] = [], options: SamplingOptions, n: Int = 1) {
        self.prefix = prefix
        self.suffix = suffix
        self.extraContext = extraContext
        self.options = options
        self.n = n
    }
}

/// Tokens and time one backend call cost.
public struct Usage: Sendable, Hashable {
    /// Prompt tokens of the request.
    public var promptTokens: Int
    /// Prompt tokens the server actually evaluated (the rest came from its cache); equals
    /// `promptTokens` when the server does not report it.
    public var prefilledTokens: Int
    public var completionTokens: Int
    /// Wall time of the call, seconds.
    public var seconds: Double

    public init(promptTokens: Int = 0, prefilledTokens: Int = 0, completionTokens: Int = 0, seconds: Double = 0) {
        self.promptTokens = promptTokens
        self.prefilledTokens = prefilledTokens
        self.completionTokens = completionTokens
        self.seconds = seconds
    }

    public static func + (lhs: Usage, rhs: Usage) -> Usage {
        Usage(
            promptTokens: lhs.promptTokens + rhs.promptTokens,
            prefilledTokens: lhs.prefilledTokens + rhs.prefilledTokens,
            completionTokens: lhs.completionTokens + rhs.completionTokens,
            seconds: lhs.seconds + rhs.seconds
        )
    }
}

/// One sampled completion.
public struct Completion: Sendable, Hashable {
    /// Sample index within its request (0-based).
    public var index: Int
    public var text: String
    /// `stop`, `length`, … as the server reported.
    public var finishReason: String?
    /// Usage of this sample. With `n` > 1 in one request the prompt's cost is attributed to
    /// sample 0 only, so summing over samples counts it once.
    public var usage: Usage

    public init(index: Int, text: String, finishReason: String? = nil, usage: Usage = Usage()) {
        self.index = index
        self.text = text
        self.finishReason = finishReason
        self.usage = usage
    }
}

/// An event of a streamed completion.
public enum StreamEvent: Sendable, Hashable {
    /// Newly generated text.
    case delta(String)
    /// The stream ended normally.
    case finished(finishReason: String?, usage: Usage)
}
