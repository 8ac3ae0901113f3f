import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

@Suite struct RepairAlignmentTests {
    private let original = [
        "def mean(xs):",
        "    # the average",
        "    total = 0",
        "    for x in xs:",
        "        total = x",
        "",
        "    return total / len(xs)",
    ]

    @Test func aReplacedLineIsTheOnlyChangeWhateverTheIndentationAndComments() {
        let repaired = [
            "def mean(xs):",
            "  total = 0",
            "  for x in xs:",
            "      total += x  ",
            "  return total / len(xs)",
        ]
        let alignment = RepairAlignment(original: original, repaired: repaired)
        #expect(alignment.changedLines == [4])
        #expect(alignment.matches.map(\.original) == [0, 2, 3, 6])
        #expect(alignment.matches.map(\.repaired) == [0, 1, 2, 4])
        let fix = alignment.replacement(covering: 4...4)
        #expect(fix?.lines == 4...4)
        #expect(fix?.text == ["      total += x  "])
    }

    @Test func anInsertionIsChargedToTheLineAboveIt() {
        var repaired = original
        repaired.insert("    if not xs: return 0", at: 1)
        let alignment = RepairAlignment(original: original, repaired: repaired)
        #expect(alignment.changedLines == [0])
        var atTop = original
        atTop.insert("import statistics", at: 0)
        #expect(RepairAlignment(original: original, repaired: atTop).changedLines == [0])
    }

    @Test func aRemovedLineAndAnUnchangedRepair() {
        var repaired = original
        repaired.remove(at: 2)
        #expect(RepairAlignment(original: original, repaired: repaired).changedLines == [2])
        let same = RepairAlignment(original: original, repaired: original.map { $0 + " " })
        #expect(same.changedLines.isEmpty)
        #expect(same.replacement(covering: 4...4) == nil)
    }

    @Test func aChangeReachingPastTheFlaggedLinesIsTakenWhole() {
        var repaired = original
        repaired[3] = "    for x in list(xs):"
        repaired[4] = "        total += x"
        let alignment = RepairAlignment(original: original, repaired: repaired)
        #expect(alignment.changedLines == [3, 4])
        let fix = alignment.replacement(covering: 4...4)
        #expect(fix?.lines == 3...4)
        #expect(fix?.text == ["    for x in list(xs):", "        total += x"])
    }
}
