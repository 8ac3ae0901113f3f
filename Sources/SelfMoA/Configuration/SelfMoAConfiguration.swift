/// The parameters of a Self-MoA run, with the papers' defaults.
///
/// A plain value: build it in code or decode it from JSON (`Codable`; every key is optional and
/// falls back to the default below, unknown keys are ignored). Keys are the property names;
/// the mode is one of `"auto"`, `"selfmoa"`, `"seq"`, `"single"`, the window is nested as
/// `"seq": {"window": 6, "reserved": 3}`.
///
/// Mixed-MoA, the papers' baseline, is a configuration: list several `proposerModels` and
/// proposal `k` is sampled from `proposerModels[k % count]`.
public struct SelfMoAConfiguration: Sendable, Hashable, Codable {
    /// N: proposals per run (paper: 6).
    public var proposals: Int
    /// Sampling temperature of the proposers (paper: 0.7).
    public var proposerTemperature: Double
    /// Sampling temperature of the aggregator (paper: 0, greedy).
    public var aggregatorTemperature: Double
    /// Seed of proposal 0; proposal `k` uses `seed + k`. `nil` draws a fresh base per run.
    public var seed: UInt32?
    /// Token cap of one proposal; also what the budget assumes a proposal costs.
    public var proposalMaxTokens: Int
    /// Token cap of the aggregated answer (and of each intermediate synthesis in Seq).
    public var answerMaxTokens: Int
    /// How to aggregate; `auto` chooses by token budget.
    public var mode: SelfMoAMode
    /// The Seq window; `nil` fields are chosen by the budget.
    public var seq: SeqConfiguration
    /// Lay out the aggregator's prompt as the proposers' system + user messages followed by a
    /// user message with the candidates, so a caching backend reuses the prefilled file context.
    /// `false` is the classic MoA layout: candidates in the system prompt.
    public var prefixReuse: Bool
    /// Mixed-MoA: the proposer models, used round-robin. Empty: the backend's model (Self-MoA).
    public var proposerModels: [String]
    /// The aggregator's model. `nil`: the backend's model.
    public var aggregatorModel: String?
    /// Sample proposal 0 at temperature 0 (the greedy answer) in its own request, the others at
    /// `proposerTemperature`: the set then always holds the answer one greedy call would give.
    public var greedyProposal: Bool
    /// One-shot Self-MoA: when a strict majority (at least two) of the kept proposals agree
    /// (equal code by the checker's normal form, else equal text without whitespace), answer
    /// with it and skip aggregation. Agreement is measured and reported either way.
    public var agreement: Bool
    /// The aggregator's instruction.
    public var aggregation: AggregationStyle
    /// Synthesise the answer (Self-MoA), or answer with the central proposal and skip
    /// aggregation. Agreement, when on, still answers first.
    public var answer: AnswerSource
    /// Stream proposal 0 as a draft (`AnswerEvent.draft`): it is sampled in a streaming request
    /// of its own, and the other proposals are requested once its first token arrives, so the
    /// draft's prompt is prefilled first and its text appears as soon as one sample's would.
    /// Chat proposals only (fill-in-the-middle proposals are not streamed).
    public var streamDraft: Bool
    /// With `greedyProposal` and a checker, in a one-round run: sample and check the greedy
    /// proposal alone first; when it passes every check it answers (one forward pass), and the
    /// other proposals are sampled only when it fails one. After escalating, the greedy proposal
    /// still answers when no other proposal passed more checks.
    public var escalate: Bool
    /// When the answer is a proposal that stopped at its token cap, ask the model to go on from
    /// where it stopped, greedily, for up to this many more tokens (0: never). Only where the
    /// backend offers fill-in-the-middle, the mark of llama.cpp's server, which continues a
    /// trailing assistant message instead of answering it (a fill-in-the-middle sample goes on
    /// as one, its text added to the text before the cursor). Not in `single` mode: one request.
    public var continuationMaxTokens: Int

    public init(
        proposals: Int = 6,
        proposerTemperature: Double = 0.7,
        aggregatorTemperature: Double = 0,
        seed: UInt32? = nil,
        proposalMaxTokens: Int = 512,
        answerMaxTokens: Int = 768,
        mode: SelfMoAMode = .auto,
        seq: SeqConfiguration = SeqConfiguration(),
        prefixReuse: Bool = true,
        proposerModels: [String] = [],
        aggregatorModel: String? = nil,
        greedyProposal: Bool = false,
        agreement: Bool = false,
        aggregation: AggregationStyle = .synthesize,
        answer: AnswerSource = .synthesis,
        streamDraft: Bool = false,
        escalate: Bool = false,
        continuationMaxTokens: Int = 0
    ) {
        self.continuationMaxTokens = continuationMaxTokens
        self.streamDraft = streamDraft
        self.escalate = escalate
        self.proposals = proposals
        self.proposerTemperature = proposerTemperature
        self.aggregatorTemperature = aggregatorTemperature
        self.seed = seed
        self.proposalMaxTokens = proposalMaxTokens
        self.answerMaxTokens = answerMaxTokens
        self.mode = mode
        self.seq = seq
        self.prefixReuse = prefixReuse
        self.proposerModels = proposerModels
        self.aggregatorModel = aggregatorModel
        self.greedyProposal = greedyProposal
        self.agreement = agreement
        self.aggregation = aggregation
        self.answer = answer
    }

    private enum CodingKeys: String, CodingKey {
        case proposals, proposerTemperature, aggregatorTemperature, seed, proposalMaxTokens
        case answerMaxTokens, mode, seq, prefixReuse, proposerModels, aggregatorModel, greedyProposal, agreement
        case aggregation, answer, streamDraft, escalate, continuationMaxTokens
    }

    public init(from decoder: any Decoder) throws {
        let defaults = SelfMoAConfiguration()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        proposals = try c.decodeIfPresent(Int.self, forKey: .proposals) ?? defaults.proposals
        proposerTemperature = try c.decodeIfPresent(Double.self, forKey: .proposerTemperature)
            ?? defaults.proposerTemperature
        aggregatorTemperature = try c.decodeIfPresent(Double.self, forKey: .aggregatorTemperature)
            ?? defaults.aggregatorTemperature
        seed = try c.decodeIfPresent(UInt32.self, forKey: .seed)
        proposalMaxTokens = try c.decodeIfPresent(Int.self, forKey: .proposalMaxTokens) ?? defaults.proposalMaxTokens
        answerMaxTokens = try c.decodeIfPresent(Int.self, forKey: .answerMaxTokens) ?? defaults.answerMaxTokens
        mode = try c.decodeIfPresent(SelfMoAMode.self, forKey: .mode) ?? defaults.mode
        seq = try c.decodeIfPresent(SeqConfiguration.self, forKey: .seq) ?? defaults.seq
        prefixReuse = try c.decodeIfPresent(Bool.self, forKey: .prefixReuse) ?? defaults.prefixReuse
        proposerModels = try c.decodeIfPresent([String].self, forKey: .proposerModels) ?? defaults.proposerModels
        aggregatorModel = try c.decodeIfPresent(String.self, forKey: .aggregatorModel)
        greedyProposal = try c.decodeIfPresent(Bool.self, forKey: .greedyProposal) ?? defaults.greedyProposal
        agreement = try c.decodeIfPresent(Bool.self, forKey: .agreement) ?? defaults.agreement
        aggregation = try c.decodeIfPresent(AggregationStyle.self, forKey: .aggregation) ?? defaults.aggregation
        answer = try c.decodeIfPresent(AnswerSource.self, forKey: .answer) ?? defaults.answer
        streamDraft = try c.decodeIfPresent(Bool.self, forKey: .streamDraft) ?? defaults.streamDraft
        escalate = try c.decodeIfPresent(Bool.self, forKey: .escalate) ?? defaults.escalate
        continuationMaxTokens = try c.decodeIfPresent(Int.self, forKey: .continuationMaxTokens) ?? defaults.continuationMaxTokens
    }

    /// Checks every value is in range; the engine calls it before a run.
    public func validate() throws(SelfMoAError) {
        func fail(_ message: String) -> SelfMoAError { SelfMoAError(.invalidConfiguration, message) }
        if proposals < 1 { throw fail("proposals must be at least 1 (got \(proposals)).") }
        if !(proposerTemperature >= 0) || !(aggregatorTemperature >= 0) {
            throw fail("Temperatures must be 0 or more (proposer \(proposerTemperature), aggregator \(aggregatorTemperature)).")
        }
        if proposalMaxTokens < 1 || answerMaxTokens < 1 {
            throw fail("Token caps must be at least 1 (proposalMaxTokens \(proposalMaxTokens), answerMaxTokens \(answerMaxTokens)).")
        }
        if let window = seq.window, window < 3 {
            throw fail("seq.window must be at least 3 slots (1 synthesis copy and 2 new proposals); got \(window).")
        }
        if let reserved = seq.reserved {
            if reserved < 1 { throw fail("seq.reserved must be at least 1; got \(reserved).") }
            if let window = seq.window, reserved > window - 2 {
                throw fail("seq.reserved must leave room for 2 new proposals: at most window - 2 = \(window - 2); got \(reserved).")
            }
        }
        if proposerModels.contains(where: \.isEmpty) { throw fail("proposerModels must not contain an empty name.") }
    }

    /// The model of proposal `index`: round-robin over `proposerModels`, `nil` when empty.
    public func proposerModel(forProposal index: Int) -> String? {
        proposerModels.isEmpty ? nil : proposerModels[index % proposerModels.count]
    }
}
