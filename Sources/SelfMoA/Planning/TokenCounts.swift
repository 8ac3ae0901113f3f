/// The measured pieces of the aggregator's prompt the budget adds up.
public struct TokenCounts: Sendable, Hashable {
    /// The proposers' messages (system + user with the file context), including the chat
    /// template's overhead per message.
    public var prompt: Int
    /// The aggregation instruction and heading, including its message's overhead.
    public var scaffold: Int
    /// The delimiters around one candidate.
    public var perCandidate: Int

    public init(prompt: Int, scaffold: Int, perCandidate: Int) {
        self.prompt = prompt
        self.scaffold = scaffold
        self.perCandidate = perCandidate
    }
}
