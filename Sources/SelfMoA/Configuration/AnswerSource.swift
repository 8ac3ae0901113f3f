/// Where a Self-MoA run's answer comes from once the proposals are in (and checked).
public enum AnswerSource: String, Sendable, Hashable, Codable, CaseIterable {
    /// The aggregator synthesises one answer from the kept proposals: Self-MoA as published.
    case synthesis
    /// The central kept proposal answers, without aggregation: the one whose tokens are most
    /// like the others' (`TokenSimilarity`, minimum Bayes risk selection). Measured on HumanEval
    /// with the 0.5B model, choosing so beat both one greedy sample and the 0.5B synthesis.
    case central
}
