/// A repaired function lined up with the original: which original lines it changed, and its
/// text for a stretch of them.
///
/// Lines are compared by `key` (no indentation, single spaces); blank and comment lines take
/// no part. The matched lines are the lines the standard library's difference (a shortest
/// edit script, so a longest common subsequence) leaves in place.
struct RepairAlignment {
    var original: [String]
    var repaired: [String]
    /// Pairs of matched lines (original index, repaired index), in order.
    var matches: [(original: Int, repaired: Int)]

    init(original: [String], repaired: [String]) {
        self.original = original
        self.repaired = repaired
        let a = original.indices.filter { !Self.isIgnorable(original[$0]) }
        let b = repaired.indices.filter { !Self.isIgnorable(repaired[$0]) }
        let keysA = a.map { Self.key(original[$0]) }
        let keysB = b.map { Self.key(repaired[$0]) }
        var removed = Set<Int>(), inserted = Set<Int>()
        for change in keysB.difference(from: keysA) {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        // What neither removes nor inserts is the common subsequence, in the same order on both sides.
        let keptA = keysA.indices.filter { !removed.contains($0) }
        let keptB = keysB.indices.filter { !inserted.contains($0) }
        matches = zip(keptA, keptB).map { (original: a[$0], repaired: b[$1]) }
    }

    /// What two lines are compared by: the code without indentation and with single spaces.
    static func key(_ line: String) -> String {
        line.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    /// Blank and comment lines are neither matched nor counted as changes.
    static func isIgnorable(_ line: String) -> Bool {
        line.isBlank || SourceLine.isComment(line)
    }

    /// The original lines the repair changed: those it replaced or removed, and for lines it
    /// only inserted, the original line before them (the first line, inserting at the top).
    var changedLines: Set<Int> {
        var changed = Set<Int>()
        for gap in gaps {
            let old = gap.old.filter { !Self.isIgnorable(original[$0]) }
            let new = gap.new.filter { !Self.isIgnorable(repaired[$0]) }
            if !old.isEmpty {
                changed.formUnion(old)
            } else if !new.isEmpty {
                changed.insert(max(gap.old.lowerBound - 1, 0))
            }
        }
        return changed
    }

    /// The stretches between matched lines: original lines `old`, repaired lines `new`.
    private var gaps: [(old: Range<Int>, new: Range<Int>)] {
        var out: [(old: Range<Int>, new: Range<Int>)] = []
        var previous = (original: -1, repaired: -1)
        for next in matches + [(original: original.count, repaired: repaired.count)] {
            out.append(((previous.original + 1)..<next.original, (previous.repaired + 1)..<next.repaired))
            previous = next
        }
        return out
    }

    /// The repair's text in place of the original lines around `flagged`: from after the last
    /// matched line above them to before the first matched line below them (so a change that
    /// reaches past `flagged` is taken whole), without blank lines at either end; `nil` when
    /// nothing there differs.
    func replacement(covering flagged: ClosedRange<Int>) -> (lines: ClosedRange<Int>, text: [String])? {
        let before = matches.last { $0.original < flagged.lowerBound }
        let after = matches.first { $0.original > flagged.upperBound }
        var old = ((before?.original ?? -1) + 1)..<(after?.original ?? original.count)
        var new = ((before?.repaired ?? -1) + 1)..<(after?.repaired ?? repaired.count)
        while let first = old.first, original[first].isBlank, first < flagged.lowerBound { old = (first + 1)..<old.upperBound }
        while let last = old.last, original[last].isBlank, last > flagged.upperBound { old = old.lowerBound..<last }
        while let first = new.first, repaired[first].isBlank { new = (first + 1)..<new.upperBound }
        while let last = new.last, repaired[last].isBlank { new = new.lowerBound..<last }
        guard !old.isEmpty else { return nil }
        let text = Array(repaired[new])
        guard text.map(Self.key) != original[old].map(Self.key) else { return nil }
        return (old.lowerBound...(old.upperBound - 1), text)
    }
}
