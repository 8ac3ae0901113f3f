/// The token budget: what an aggregation step needs and which shape fits the aggregator's
/// context. Pure arithmetic over `TokenCounts`, so the boundary is exact and testable.
///
/// A step with `p` new proposals and `r` synthesis copies needs
/// `prompt + scaffold + p × (proposalMaxTokens + perCandidate) + r × (answerMaxTokens +
/// perCandidate) + answerMaxTokens` tokens; a shape fits when its largest step needs no more
/// than the context of one slot.
///
/// With `answer: central` nothing aggregates: the largest call is a proposal's, `prompt +
/// proposalMaxTokens`, whatever N is, so every N runs one-shot where one proposal fits.
public enum TokenBudget {
    /// Tokens a chat template adds around one message (role markers, separators); conservative.
    public static let messageOverhead = 8

    /// Tokens one aggregation step needs.
    public static func required(
        _ counts: TokenCounts, proposals: Int, syntheses: Int, configuration: SelfMoAConfiguration
    ) -> Int {
        counts.prompt + counts.scaffold
            + proposals * (configuration.proposalMaxTokens + counts.perCandidate)
            + syntheses * (configuration.answerMaxTokens + counts.perCandidate)
            + configuration.answerMaxTokens
    }

    /// Tokens the largest call of `shape` needs (for `single`, the prompt and the answer).
    public static func required(
        _ shape: AggregationShape, _ counts: TokenCounts, configuration: SelfMoAConfiguration
    ) -> Int {
        let n = configuration.proposals
        if configuration.answer == .central, shape.mode == .selfMoA || shape.mode == .seq {
            return counts.prompt + configuration.proposalMaxTokens
        }
        switch shape.mode {
        case .single, .auto:
            return counts.prompt + configuration.answerMaxTokens
        case .selfMoA:
            return required(counts, proposals: n, syntheses: 0, configuration: configuration)
        case .seq:
            let first = required(counts, proposals: min(shape.window, n), syntheses: 0, configuration: configuration)
            guard n > shape.window else { return first }
            let later = required(
                counts, proposals: shape.window - shape.reserved, syntheses: shape.reserved, configuration: configuration
            )
            return max(first, later)
        }
    }

    /// The shape to run within `contextTokens`, or `nil` when even the smallest the
    /// configuration allows does not fit (the context must be trimmed).
    ///
    /// `auto`: one-shot Self-MoA when all N proposals fit; otherwise Seq with the configured
    /// window, or else the largest window that fits (at least 1 synthesis copy and 2 new
    /// proposals). Explicit modes run as configured when they fit.
    public static func choose(
        _ counts: TokenCounts, contextTokens: Int, configuration: SelfMoAConfiguration
    ) -> AggregationShape? {
        func fits(_ shape: AggregationShape) -> Bool {
            required(shape, counts, configuration: configuration) <= contextTokens
        }
        let n = configuration.proposals
        let seq = configuration.seq
        switch configuration.mode {
        case .single:
            return fits(.single) ? .single : nil
        case .selfMoA:
            return fits(.selfMoA(proposals: n)) ? .selfMoA(proposals: n) : nil
        case .seq:
            let shape = explicitSeq(configuration)
            return fits(shape) ? shape : nil
        case .auto:
            if fits(.selfMoA(proposals: n)) { return .selfMoA(proposals: n) }
            if seq.window != nil {
                let shape = explicitSeq(configuration)
                return fits(shape) ? shape : nil
            }
            for window in stride(from: n - 1, through: 3, by: -1) {
                let shape = AggregationShape.seq(window: window, reserved: seq.reserved(forWindow: window))
                if fits(shape) { return shape }
            }
            return nil
        }
    }

    /// The smallest shape the configuration allows: what the context is trimmed to fit.
    public static func smallest(_ configuration: SelfMoAConfiguration) -> AggregationShape {
        let n = configuration.proposals
        switch configuration.mode {
        case .single: return .single
        case .selfMoA: return .selfMoA(proposals: n)
        case .seq: return explicitSeq(configuration)
        case .auto:
            if configuration.seq.window != nil { return explicitSeq(configuration) }
            if n <= 3 || configuration.answer == .central { return .selfMoA(proposals: n) }
            return .seq(window: 3, reserved: 1)
        }
    }

    /// Tokens left for the proposers' messages when `shape` must fit `contextTokens`.
    public static func promptBudget(
        for shape: AggregationShape, _ counts: TokenCounts, contextTokens: Int, configuration: SelfMoAConfiguration
    ) -> Int {
        contextTokens - (required(shape, counts, configuration: configuration) - counts.prompt)
    }

    private static func explicitSeq(_ configuration: SelfMoAConfiguration) -> AggregationShape {
        let window = configuration.seq.window ?? SeqConfiguration.paperWindow
        let reserved = configuration.seq.reserved
            ?? (window == SeqConfiguration.paperWindow ? SeqConfiguration.paperReserved : window / 2)
        return .seq(window: window, reserved: min(max(reserved, 1), window - 2))
    }
}
