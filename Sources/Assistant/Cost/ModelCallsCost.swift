import ModelBackend

/// What the model calls a check makes cost: explain's round trips (`RoundTripChecker`, one
/// greedy rewrite per sound candidate), review's line search (`LineSearch`).
public struct ModelCallsCost: Sendable, Hashable {
    /// Requests sent.
    public var count: Int
    /// Their tokens; `seconds` is the wall time of the check where it runs on its own (the line
    /// search), 0 where the run already waits for it (the round trips).
    public var usage: Usage
    /// Why requests failed (the backend's messages), each once.
    public var failures: [String]

    public init(count: Int = 0, usage: Usage = Usage(), failures: [String] = []) {
        self.count = count
        self.usage = usage
        self.failures = failures
    }
}
