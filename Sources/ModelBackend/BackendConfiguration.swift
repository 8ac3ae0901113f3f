/// Which model backend to use and how patiently to talk to it.
///
/// `url == nil` selects the embedded default: a `llama-server` this process starts on demand
/// (see `ManagedLlamaServer`). Any other URL is an OpenAI-compatible server (llama.cpp, vLLM,
/// Ollama, a hosted API), with or without `/v1` at the end.
public struct BackendConfiguration: Sendable, Hashable {
    /// Base URL of an OpenAI-compatible server, or `nil` for the embedded default.
    public var url: String?
    /// Model name sent with every request; `nil` uses the name the server reports.
    public var model: String?
    /// Name of the environment variable that holds the API key. The key itself never appears in
    /// configuration, messages or logs.
    public var apiKeyEnv: String?
    /// Overrides the context window the backend reports (tokens per request).
    public var contextTokens: Int?
    /// Time limits of every call.
    public var timeouts: Timeouts
    /// How the embedded default is run (ignored for an explicit `url`).
    public var embedded: EmbeddedServerOptions

    public init(
        url: String? = nil,
        model: String? = nil,
        apiKeyEnv: String? = nil,
        contextTokens: Int? = nil,
        timeouts: Timeouts = Timeouts(),
        embedded: EmbeddedServerOptions = EmbeddedServerOptions()
    ) {
        self.url = url
        self.model = model
        self.apiKeyEnv = apiKeyEnv
        self.contextTokens = contextTokens
        self.timeouts = timeouts
        self.embedded = embedded
    }

    /// Time limits of a backend call.
    public struct Timeouts: Sendable, Hashable {
        /// Establishing the TCP connection.
        public var connect: Duration
        /// From sending a streaming request to its first generated text; also bounds capability
        /// probes.
        public var firstToken: Duration
        /// A whole call: the deadline of a non-streaming request, and the bound of a stream.
        public var total: Duration

        public init(connect: Duration = .seconds(5), firstToken: Duration = .seconds(60), total: Duration = .seconds(600)) {
            self.connect = connect
            self.firstToken = firstToken
            self.total = total
        }
    }
}

/// How the managed embedded `llama-server` is started.
public struct EmbeddedServerOptions: Sendable, Hashable {
    /// Parallel slots (`-np`): the largest number of samples requested at once.
    public var slots: Int
    /// Context of one slot in tokens; the server gets `slots × contextPerSlot` in total.
    public var contextPerSlot: Int
    /// How long the server may take to load the model and answer `/health`.
    public var startTimeout: Duration
    /// CPU threads for generation (`-t`); `nil`: one fewer than the cores, and every core for
    /// prompt processing (`-tb`).
    public var threads: Int?

    public init(slots: Int = 6, contextPerSlot: Int = 4096, startTimeout: Duration = .seconds(120), threads: Int? = nil) {
        self.slots = slots
        self.contextPerSlot = contextPerSlot
        self.startTimeout = startTimeout
        self.threads = threads
    }
}
