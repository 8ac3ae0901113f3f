/// Judges one candidate answer before aggregation, for example by parsing the code it proposes.
///
/// The engine stays pure: it calls a checker the caller hands in (`SelfMoAEngine(model:
/// configuration:checker:)`) and never runs anything itself. A check may be slow (a compiler, a
/// sandboxed test run), so the engine checks a round's proposals concurrently.
///
/// Checks are ordered (parse, then run the examples, …) and `CandidateCheck.level` counts how
/// many a candidate passed before the first failure. Among the proposals the engine keeps those
/// at the highest level any proposal reached, so a check that every candidate fails (a header
/// missing on this machine, say) drops nothing. A checker that cannot judge a candidate (no
/// toolchain for its language) counts the check as passed and says so in `notes`.
public protocol CandidateChecker: Sendable {
    /// Checks one candidate (a proposal's or the synthesis's full text).
    func check(_ candidate: String) async -> CandidateCheck

    /// Checks a candidate that may have been cut off: `cutOff` says the model stopped at the
    /// token limit, so the text may end mid-answer. A checker that knows which part of the text
    /// becomes the answer (the code, not the test calls after it) can tell whether the cut
    /// reached that part. The default ignores `cutOff`.
    func check(_ candidate: String, cutOff: Bool) async -> CandidateCheck
}

extension CandidateChecker {
    public func check(_ candidate: String, cutOff: Bool) async -> CandidateCheck {
        await check(candidate)
    }
}

/// The verdict of a `CandidateChecker` on one candidate.
public struct CandidateCheck: Sendable, Hashable {
    /// Checks passed, in order, before the first failure (all of them when `failure` is `nil`).
    public var level: Int
    /// What the first failed check said, for reports; `nil` when every check passed.
    public var failure: String?
    /// The candidate in a normal form (code without comments and whitespace, say): candidates
    /// with equal keys agree. `nil`: the engine compares the text with whitespace removed.
    public var key: String?
    /// What the checker could not do (no toolchain for the language, …), for logs.
    public var notes: [String]
    /// The tokens `TokenSimilarity` compares (the code without comments, say). `nil`: the
    /// engine takes the tokens of the text.
    public var terms: [String]?

    public init(level: Int, failure: String? = nil, key: String? = nil, notes: [String] = [], terms: [String]? = nil) {
        self.level = level
        self.failure = failure
        self.key = key
        self.notes = notes
        self.terms = terms
    }
}
