import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

/// The review parser on the kinds of replies small models really write.
@Suite struct ReviewParserTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var reply: String
        /// (start, end, severity, message), 0-based lines.
        var expected: [Expected]
        var lineCount = 20
        var testDescription: String { reply.splitLines.first ?? "" }
    }

    struct Expected: Sendable, Hashable {
        var start: Int
        var end: Int
        var severity: Finding.Severity
        var message: String

        init(_ start: Int, _ end: Int, _ severity: Finding.Severity, _ message: String) {
            self.start = start
            self.end = end
            self.severity = severity
            self.message = message
        }
    }

    static let cases: [Case] = [
        Case(reply: "L3 error: division by zero when the list is empty",
             expected: [Expected(2, 2, .error, "division by zero when the list is empty")]),
        Case(reply: "L3-5 warning: the file is never closed",
             expected: [Expected(2, 4, .warning, "the file is never closed")]),
        Case(reply: "- **L7** warning: unused variable `x`",
             expected: [Expected(6, 6, .warning, "unused variable `x`")]),
        Case(reply: "* Line 12: missing return on the error path",
             expected: [Expected(11, 11, .warning, "missing return on the error path")]),
        Case(reply: "1. Lines 4–6 (error): off by one in the loop bound",
             expected: [Expected(3, 5, .error, "off by one in the loop bound")]),
        Case(reply: "[error] L2: null dereference of `user`",
             expected: [Expected(1, 1, .error, "null dereference of `user`")]),
        Case(reply: "12: bug: wrong comparison operator",
             expected: [Expected(11, 11, .error, "wrong comparison operator")]),
        Case(reply: "`L8` hint: a set would make this lookup O(1)",
             expected: [Expected(7, 7, .hint, "a set would make this lookup O(1)")]),
        Case(reply: "L9: Error handling is missing",
             expected: [Expected(8, 8, .warning, "Error handling is missing")]),
        Case(reply: "### L4 critical: SQL injection through `name`",
             expected: [Expected(3, 3, .error, "SQL injection through `name`")]),
        Case(reply: "L5 - note - consider caching the result",
             expected: [Expected(4, 4, .info, "consider caching the result")]),
        Case(reply: "On line 6, the loop never terminates.",
             expected: [Expected(5, 5, .warning, "the loop never terminates.")]),
        Case(reply: "L3-L1 WARNING: reversed range",
             expected: [Expected(0, 2, .warning, "reversed range")]),
        Case(reply: "Lines 3 to 5: mutable default argument",
             expected: [Expected(2, 4, .warning, "mutable default argument")]),
        Case(reply: "L0 warning: a line zero",
             expected: [Expected(0, 0, .warning, "a line zero")]),
        Case(reply: "L40 error: past the end of the file", expected: []),
        Case(reply: "L18-30 warning: runs past the end",
             expected: [Expected(17, 19, .warning, "runs past the end")]),
        Case(reply: "L3 error: division by zero\nwhen items is empty",
             expected: [Expected(2, 2, .error, "division by zero when items is empty")]),
        Case(reply: """
            Here are the problems I found:

            1. **L2** (warning): `total` is never used
            2. **L11-12** (error): `open` without `close`

            Overall the code is fine.
            """,
             expected: [Expected(1, 1, .warning, "`total` is never used"), Expected(10, 11, .error, "`open` without `close`")]),
        Case(reply: "The code looks fine to me.", expected: []),
        Case(reply: "NO ISSUES", expected: []),
        Case(reply: "L3 nit: trailing whitespace\nL1 suggestion: add a docstring",
             expected: [Expected(0, 0, .info, "add a docstring"), Expected(2, 2, .hint, "trailing whitespace")]),
    ]

    @Test(arguments: cases)
    func parsesMessyReplies(_ testCase: Case) {
        let output = ReviewParser.parse(testCase.reply, lineCount: testCase.lineCount)
        let found = output.findings.map { Expected($0.startLine, $0.endLine, $0.severity, $0.message) }
        #expect(found == testCase.expected)
    }

    @Test(arguments: ["NO ISSUES", "No issues found.", "- no problems", "None."])
    func recognisesNoIssues(_ reply: String) {
        let output = ReviewParser.parse(reply, lineCount: 10)
        #expect(output.findings.isEmpty)
        #expect(output.saidNoIssues)
    }

    @Test func proseIsNotNoIssues() {
        #expect(!ReviewParser.parse("The function looks fine.", lineCount: 10).saidNoIssues)
    }

    @Test func aFencedFixBelongsToTheFindingAboveWithCopiedLineNumbersRemoved() {
        let reply = """
            L3 error: off by one
            Fix:
            ```python
             3 |     for i in range(len(items)):
             4 |         total += items[i]
            ```
            L7 warning: `f` is never closed
            """
        let findings = ReviewParser.parse(reply, lineCount: 10).findings
        #expect(findings.count == 2)
        #expect(findings[0].message == "off by one")
        #expect(findings[0].replacement == "    for i in range(len(items)):\n        total += items[i]")
        #expect(findings[1].replacement == nil)
    }

    @Test func aFixForAClampedRangeIsDropped() {
        let reply = "L9-12 error: bad\n```\nx = 1\n```"
        let finding = ReviewParser.parse(reply, lineCount: 10).findings.first
        #expect(finding?.endLine == 9)
        #expect(finding?.replacement == nil)
    }

    @Test func duplicateLinesAreMerged() {
        let reply = """
            L3 warning: division by zero when `items` is empty
            - L3 error: Division by zero when items is empty.
            L3 warning: `count` shadows a builtin
            """
        let findings = ReviewParser.parse(reply, lineCount: 10).findings
        #expect(findings.count == 1)
        #expect(findings[0].severity == .error)
        #expect(findings[0].message == "division by zero when `items` is empty. `count` shadows a builtin")
    }

    @Test(arguments: [
        ("bug", Finding.Severity.error), ("Critical", .error), ("warn", .warning), ("issue", .warning),
        ("note", .info), ("Suggestion", .info), ("nitpick", .hint), ("hint", .hint),
    ])
    func severityWords(_ word: String, _ severity: Finding.Severity) {
        #expect(ReviewParser.severity(word) == severity)
    }
}
