import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

@Suite struct RepairVoteTests {
    private let function = [
        "def total_value(items):",
        "    total = 0",
        "    for item in items:",
        "        total = item.price * item.quantity",
        "    return total",
    ]

    private func answer(_ lines: [String], reason: String = "none") -> String {
        "```python\n" + lines.joined(separator: "\n") + "\n```\nBug: \(reason)"
    }

    private var fixed: String {
        var lines = function
        lines[3] = "        total += item.price * item.quantity"
        return answer(lines, reason: "the loop overwrites the total instead of adding to it.")
    }

    private var unchanged: String { answer(function) }

    @Test func aLineMostRepairsChangeIsAFindingWithTheirFix() {
        let lines = ["import math", ""] + function
        let findings = RepairVote.findings(
            answers: [fixed, fixed, unchanged, fixed, unchanged], asked: 5, lines: lines, unit: 2..<7
        )
        #expect(findings == [Finding(
            startLine: 5, endLine: 5, severity: .warning,
            message: "the loop overwrites the total instead of adding to it (3 of 5 attempts to fix the function change this line).",
            replacement: "        total += item.price * item.quantity"
        )])
    }

    @Test func aMinorityOrFailedRequestsAreNotEnough() {
        #expect(RepairVote.findings(answers: [fixed, fixed, unchanged, unchanged, unchanged], asked: 5, lines: function, unit: 0..<5).isEmpty)
        // Three of six asked: the three failed requests count against the line.
        #expect(RepairVote.findings(answers: [fixed, fixed, fixed], asked: 6, lines: function, unit: 0..<5).isEmpty)
        #expect(RepairVote.findings(answers: [fixed, fixed, fixed], asked: 5, lines: function, unit: 0..<5).count == 1)
    }

    @Test func rewritesAndAnswersWithoutCodeDoNotVote() {
        let rewrite = answer(["def total_value(items):", "    return sum(i.price * i.quantity for i in items)"])
        let prose = "The function looks correct to me."
        #expect(RepairVote.findings(answers: [rewrite, rewrite, rewrite, fixed, fixed], asked: 5, lines: function, unit: 0..<5).isEmpty)
        #expect(RepairVote.findings(answers: [prose, prose, prose], asked: 3, lines: function, unit: 0..<5).isEmpty)
    }

    @Test func reindentingAndAddingRemarksChangeNothing() {
        let method = function.map { "    " + $0 }
        let dedented = answer(["# The function is correct."] + function + ["", "# Example", "# total_value([])"])
        #expect(RepairVote.findings(answers: [dedented, dedented, dedented], asked: 3, lines: method, unit: 0..<5).isEmpty)
        // A dedented fix is still a fix, in the repair's own indentation (review re-indents it).
        #expect(RepairVote.findings(answers: [fixed, fixed, fixed], asked: 3, lines: method, unit: 0..<5).map(\.startLine) == [3])
    }

    @Test func rewordingTheDocstringVotesForNothing() {
        let documented = [function[0], "    \"\"\"Sums the value of the items.\"\"\""] + function.dropFirst()
        var reworded = documented
        reworded[1] = "    \"\"\"Returns the total value of all items.\"\"\""
        var rewordedAndFixed = reworded
        rewordedAndFixed[4] = "        total += item.price * item.quantity"
        let findings = RepairVote.findings(
            answers: [answer(rewordedAndFixed), answer(rewordedAndFixed), answer(reworded)], asked: 3, lines: documented, unit: 0..<6
        )
        #expect(findings.map(\.startLine) == [4])
    }

    @Test func anInsertedGuardVotesForTheLineBeforeIt() {
        var guarded = function
        guarded.insert("    if not items:\n        return 0", at: 1)
        let text = answer(guarded.joined(separator: "\n").splitLines)
        let findings = RepairVote.findings(answers: [text, text, unchanged], asked: 3, lines: function, unit: 0..<5)
        #expect(findings.map(\.lines) == [0...0])
        #expect(findings.first?.replacement == "def total_value(items):\n    if not items:\n        return 0")
        #expect(findings.first?.message == "2 of 3 attempts to fix the function change this line, e.g. to `if not items:`.")
    }

    @Test func theMessageQuotesTheChangedLineNotAGuardAroundIt() {
        var lines = function
        lines[3] = "        if item.quantity:\n            total += item.price * item.quantity"
        let text = "```python\n" + lines.joined(separator: "\n") + "\n```"
        let findings = RepairVote.findings(answers: [text, text], asked: 2, lines: function, unit: 0..<5)
        #expect(findings.count == 1)
        #expect(findings.first?.message.hasSuffix("e.g. to `total += item.price * item.quantity`.") == true)
    }

    @Test func nearbyChangedLinesAreOneFinding() {
        var lines = function
        lines[1] = "    total = 0.0"
        lines[3] = "        total += item.price * item.quantity"
        let text = answer(lines)
        let findings = RepairVote.findings(answers: [text, text, text], asked: 3, lines: function, unit: 0..<5)
        #expect(findings.map(\.lines) == [1...3])
        #expect(findings.first?.replacement == "    total = 0.0\n    for item in items:\n        total += item.price * item.quantity")
    }

    @Test func readsTheReasonWhereverTheModelPutIt() {
        let inside = RepairVote.read("```python\nx = 1\nBug: none\n```")
        #expect(inside.code == ["x = 1"])
        #expect(inside.reason == nil)
        let bold = RepairVote.read("```python\nx = 2\n```\n**Bug:** off by one.")
        #expect(bold.code == ["x = 2"])
        #expect(bold.reason == "off by one")
        #expect(RepairVote.read("```\nx = 1\n```\nBug: No bug.").reason == nil)
    }

    @Test func aReasonCopiedFromTheRequestIsNoReason() {
        let echo = "the function did not do what its name, comments and docstring say, or that crashes."
        #expect(RepairVote.read("```\nx = 1\n```\nBug: \(echo)").reason == nil)
        #expect(RepairVote.read("```\nx = 1\n```\nBug: crashes").reason == "crashes")
        #expect(RepairVote.read("```\nx = 1\n```\nBug: or that crashes").reason == nil)
        #expect(RepairVote.read("```\nx = 1\n```\nBug: the loop crashes on an empty list.").reason != nil)
        // The vote then speaks for itself.
        var lines = function
        lines[3] = "        total += item.price * item.quantity"
        let echoed = answer(lines, reason: echo)
        let findings = RepairVote.findings(answers: [echoed, echoed, echoed], asked: 3, lines: function, unit: 0..<5)
        #expect(findings.map(\.message) == ["3 of 3 attempts to fix the function change this line, e.g. to `total += item.price * item.quantity`."])
    }
}
