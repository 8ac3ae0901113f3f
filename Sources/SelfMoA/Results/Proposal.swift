import ModelBackend

/// One proposal that succeeded: kept in the result for benchmarks and oracles.
public struct Proposal: Sendable, Hashable {
    /// Position among the run's N proposals (0-based); also the order candidates are listed in.
    public var index: Int
    public var text: String
    /// The seed it was sampled with, when the engine chose one.
    public var seed: UInt32?
    /// The model that wrote it (Mixed-MoA); `nil`: the backend's model.
    public var model: String?
    /// Sampled by fill-in-the-middle rather than chat.
    public var infill: Bool
    public var finishReason: String?
    /// Its share of the backend's usage (the prompt counted on one sample of an `n` request).
    public var usage: Usage

    public init(
        index: Int, text: String, seed: UInt32? = nil, model: String? = nil, infill: Bool = false,
        finishReason: String? = nil, usage: Usage = Usage()
    ) {
        self.index = index
        self.text = text
        self.seed = seed
        self.model = model
        self.infill = infill
        self.finishReason = finishReason
        self.usage = usage
    }
}

/// A proposal that failed and was dropped.
public struct ProposalFailure: Sendable, Hashable {
    public var index: Int
    public var error: ModelBackendError

    public init(index: Int, error: ModelBackendError) {
        self.index = index
        self.error = error
    }
}
