/// How the aggregator is asked to combine the candidates (`AggregationPrompt.instruction`).
public enum AggregationStyle: String, Sendable, Hashable, Codable, CaseIterable {
    /// The Mixture-of-Agents instruction in our words: weigh the candidates critically and write
    /// one answer better than each, rather than copying one.
    case synthesize
    /// Keep what most candidates agree on and, where they differ, the candidate that is right;
    /// repeating the best candidate unchanged is allowed. Written for small aggregators, which
    /// break correct code when told to improve on it.
    case consensus
}
