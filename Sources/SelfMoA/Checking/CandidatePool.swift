/// The proposals of a run with their check verdicts, as a value: which go on to aggregation,
/// which agree, and which one stands in for the synthesis when it fails its check.
///
/// A proposal is kept when its level is at least the best level seen when it arrives (in one-shot
/// Self-MoA all proposals arrive together, so the kept ones are exactly those at the highest
/// level; in Seq a window already aggregated stays so). Agreement and the stand-in consider only
/// kept proposals at the best level. Without a checker every proposal is at level 0 and all are
/// kept.
struct CandidatePool: Sendable {
    private(set) var proposals: [Proposal] = []
    private(set) var checks: [Int: CandidateCheck] = [:]
    private(set) var bestLevel = Int.min
    private var keptIndices: Set<Int> = []

    /// Adds a round of proposals (with their verdicts, when checked) and returns those to
    /// aggregate, in index order.
    mutating func add(_ arrived: [Proposal], checks arrivedChecks: [Int: CandidateCheck]) -> [Proposal] {
        proposals += arrived
        for (index, check) in arrivedChecks { checks[index] = check }
        for proposal in arrived { bestLevel = max(bestLevel, level(of: proposal)) }
        let kept = arrived.filter { level(of: $0) >= bestLevel }.sorted { $0.index < $1.index }
        keptIndices.formUnion(kept.map(\.index))
        return kept
    }

    func level(of proposal: Proposal) -> Int { checks[proposal.index]?.level ?? 0 }

    /// Proposals that went on to aggregation, in index order.
    var kept: [Proposal] {
        proposals.filter { keptIndices.contains($0.index) }.sorted { $0.index < $1.index }
    }

    /// Kept proposals at the best level, in index order: the ones agreement is counted over.
    var contenders: [Proposal] { kept.filter { level(of: $0) >= bestLevel } }

    /// The agreement key of a proposal: the checker's, else the text without whitespace.
    func key(of proposal: Proposal) -> String {
        checks[proposal.index]?.key ?? Self.squeezed(proposal.text)
    }

    static func squeezed(_ text: String) -> String {
        String(text.unicodeScalars.filter { !$0.properties.isWhitespace }.map(Character.init))
    }

    /// The contenders grouped by key, largest group first, ties by lowest index.
    var groups: [[Proposal]] {
        var byKey: [String: [Proposal]] = [:]
        for proposal in contenders { byKey[key(of: proposal), default: []].append(proposal) }
        return byKey.values.sorted { lhs, rhs in
            lhs.count != rhs.count ? lhs.count > rhs.count : lhs[0].index < rhs[0].index
        }
    }

    /// The proposal a strict majority (and at least two) of the contenders agree on.
    var majority: Proposal? {
        guard let largest = groups.first, largest.count >= 2, largest.count * 2 > contenders.count else { return nil }
        return largest[0]
    }

    /// The best single proposal: the first of the largest group of agreeing contenders (with no
    /// agreement, the contender of lowest index).
    var best: Proposal? { groups.first?.first }

    /// The central contender: the one whose tokens are most like the other contenders' in sum
    /// (`TokenSimilarity`; minimum Bayes risk selection), ties to the lowest index. Identical
    /// contenders support each other fully, so a majority is usually central too.
    var central: Proposal? {
        let contenders = contenders
        guard contenders.count > 2 else { return best }
        let tokens = contenders.map { checks[$0.index]?.terms ?? TokenSimilarity.tokens(of: $0.text) }
        var support = [Double](repeating: 0, count: contenders.count)
        for i in contenders.indices {
            for j in contenders.indices where j > i {
                let similarity = TokenSimilarity.similarity(tokens[i], tokens[j])
                support[i] += similarity
                support[j] += similarity
            }
        }
        guard let top = support.max() else { return nil }
        return contenders[support.firstIndex(of: top)!]
    }

    /// The selection report, with what happened to the answer.
    func selection(
        decidedByAgreement: Bool, synthesisRejected: Bool, synthesisCheck: CandidateCheck?, decidedByCentrality: Bool = false,
        escalated: Bool = false
    ) -> CandidateSelection {
        CandidateSelection(
            entries: proposals.sorted { $0.index < $1.index }.map {
                CandidateSelection.Entry(index: $0.index, check: checks[$0.index], kept: keptIndices.contains($0.index))
            },
            largestAgreement: groups.first?.count ?? 0,
            decidedByAgreement: decidedByAgreement,
            synthesisRejected: synthesisRejected,
            synthesisCheck: synthesisCheck,
            decidedByCentrality: decidedByCentrality,
            escalated: escalated
        )
    }
}
