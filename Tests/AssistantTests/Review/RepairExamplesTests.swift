import ModelBackend
import SelfMoA
import Testing
import Tools
@testable import Assistant

/// Runs the real `python3` in the real sandbox, like `DoctestSandboxTests`.
@Suite struct RepairExamplesTests {
    private let buggy = [
        "import math",
        "",
        "def add(a, b):",
        "    \"\"\"Adds.",
        "    >>> add(2, 3)",
        "    5",
        "    >>> add(0, 0)",
        "    0",
        "    \"\"\"",
        "    return a - b",
    ]
    private let unit = 2..<10

    private func repair(_ body: String, indent: String = "") -> String {
        let function = ["def add(a, b):", "    \"\"\"Adds.\"\"\"", "    " + body].map { indent + $0 }
        return "```python\n" + function.joined(separator: "\n") + "\n```\nBug: subtracts."
    }

    private func judge(_ answers: [String], unit: Range<Int>, lines: [String]) async -> [String]? {
        guard let evidence = await RepairExamples.evidence(unit: unit, lines: lines, sandbox: DoctestSandbox()) else { return nil }
        return await RepairExamples.judge(answers, unit: unit, lines: lines, evidence: evidence, sandbox: DoctestSandbox())
    }

    @Test func onlyRepairsThatPassMoreExamplesVote() async {
        let fixed = repair("return a + b")
        let same = repair("return a - b")
        let broken = repair("return a * b +")
        #expect(await judge([fixed, same, broken, "no code here"], unit: unit, lines: buggy) == [fixed])
    }

    @Test func theEvidenceNamesTheFailingExample() async throws {
        let evidence = try #require(await RepairExamples.evidence(unit: unit, lines: buggy, sandbox: DoctestSandbox()))
        #expect((evidence.passed, evidence.total, evidence.allPass) == (1, 2, false))
        #expect(evidence.summary == "`add(2, 3)` gives `-1`, the docstring says `5`")
    }

    @Test func aFunctionThatPassesItsExamplesGetsNoVotes() async throws {
        var correct = buggy
        correct[9] = "    return a + b"
        let evidence = try #require(await RepairExamples.evidence(unit: unit, lines: correct, sandbox: DoctestSandbox()))
        #expect(evidence.allPass && evidence.firstFailure == nil)
        let rewrite = repair("return sum([a, b])")
        #expect(await judge([rewrite, rewrite], unit: unit, lines: correct) == [])
    }

    @Test func withoutExamplesOrWhenTheFileDoesNotRunTheyCannotJudge() async {
        let plain = ["def add(a, b):", "    return a - b"]
        #expect(await RepairExamples.evidence(unit: 0..<2, lines: plain, sandbox: DoctestSandbox()) == nil)
        var broken = buggy
        broken[0] = "import no_such_module_here"
        #expect(await RepairExamples.evidence(unit: unit, lines: broken, sandbox: DoctestSandbox()) == nil)
    }

    @Test func aLongExampleIsShortenedToOneLineInTheSummary() {
        let long = RepairExamples.Evidence.oneLine("f(\n  " + String(repeating: "x", count: 100) + ")")
        #expect(long.count == 80 && long.hasPrefix("f( xxx") && long.hasSuffix("…"))
    }

    /// A nested helper, the unit `RepairUnits` picks, has no docstring of its own: the examples of
    /// the function around it judge its repairs.
    private let nested = [
        "def total(xs):",
        "    \"\"\"Sums.",
        "    >>> total([1, 2, 3])",
        "    6",
        "    \"\"\"",
        "    def add(a, b):",
        "        return a - b",
        "    result = 0",
        "    for x in xs:",
        "        result = add(result, x)",
        "    return result",
    ]

    @Test func aNestedFunctionIsJudgedByTheExamplesAroundIt() async {
        #expect(RepairExamples.examples(for: 5..<7, in: nested)?.contains(">>> total([1, 2, 3])") == true)
        let fixed = "```python\ndef add(a, b):\n    return a + b\n```"
        let same = "```python\ndef add(a, b):\n    return a - b\n```"
        #expect(await judge([fixed, same], unit: 5..<7, lines: nested) == [fixed])
    }

    @Test func onlyFunctionsAroundTheUnitLendTheirExamples() {
        let unrelated = ["def other():", "    \"\"\">>> other()\"\"\"", "    return 1", "", "class C:",
                         "    def m(self):", "        def inner():", "            return 2", "        return inner()"]
        #expect(RepairExamples.examples(for: 6..<8, in: unrelated) == nil)
    }

    @Test func aRepairIsIndentedLikeTheFunctionItReplaces() {
        let method = ["    def f(self):", "        return 1"][...]
        #expect(RepairExamples.placed(["def f(self):", "    return 2"], as: method) == ["    def f(self):", "        return 2"])
        #expect(RepairExamples.placed(["  def f(self):", "", "      return 2"], as: method) == ["    def f(self):", "", "        return 2"])
    }
}
