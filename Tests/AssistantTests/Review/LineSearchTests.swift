import ModelBackend
import Testing
import Tools
@testable import Assistant

/// review's line search over a scripted model, judged by the real sandbox.
@Suite(.enabled(if: ToolProcess.find("python3") != nil && ToolProcess.find("bwrap") != nil)) struct LineSearchTests {
    private let lines = [
        "def double(x):",
        "    \"\"\"",
        "    >>> double(3)",
        "    6",
        "    >>> double(0)",
        "    0",
        "    \"\"\"",
        "    # twice x",
        "    y = x * x",
        "",
        "    return y",
    ]

    @Test func onlyTheBodysCodeLinesAreBlanked() {
        #expect(LineSearch.candidates(in: 0..<11, lines: lines) == [8, 10])
    }

    @Test func theLineTheModelWritesThatPassesMoreExamplesIsTheFinding() async throws {
        let model = ScriptedModel(infill: true)
        model.infillAnswers = { request in
            // Asked for the line after the comment, the model writes the doubling (and once the same line).
            request.prefix.hasSuffix("# twice x\n    ") ? (request.n == 1 ? ["y = x + x\nmore"] : ["y = x * x", "y = 2 * x"]) : ["return y"]
        }
        let evidence = try #require(await RepairExamples.evidence(unit: 0..<11, lines: lines, sandbox: DoctestSandbox()))
        let search = await LineSearch(model: model, sandbox: DoctestSandbox(), seed: 3).search(unit: 0..<11, lines: lines, evidence: evidence)
        // The first line making every example pass ends the search: the return line is not asked.
        #expect(search.best == [LineSearch.Hit(line: 8, text: "    y = x + x", passed: 2), LineSearch.Hit(line: 8, text: "    y = 2 * x", passed: 2)])
        #expect(model.infillRequests.map(\.n) == [1, 2])
        #expect(model.infillRequests.first?.options.temperature == 0)
        #expect(model.infillRequests.first?.options.stop == ["\n"])
        #expect(model.infillRequests.first?.suffix == "\n\n    return y\n")
        #expect(search.cost.count == 2)
        let finding = try #require(LineSearch.finding(search.best, evidence: evidence, lines: lines))
        #expect(finding == Finding(
            startLine: 8, endLine: 8, severity: .warning,
            message: "`double(3)` gives `9`, the docstring says `6`. With this line as `y = x + x`, 2 of 2 examples pass (1 now).",
            replacement: "    y = x + x"))
    }

    @Test func linesThatPassNoMoreExamplesAreNoFinding() async throws {
        let model = ScriptedModel(infill: true)
        model.infillAnswers = { _ in ["y = x ** 2"] }
        let evidence = try #require(await RepairExamples.evidence(unit: 0..<11, lines: lines, sandbox: DoctestSandbox()))
        let search = await LineSearch(model: model, sandbox: DoctestSandbox(), seed: nil).search(unit: 0..<11, lines: lines, evidence: evidence)
        #expect(search.best.isEmpty)
        #expect(LineSearch.finding(search.best, evidence: evidence, lines: lines) == nil)
        #expect(search.cost.count == 4)
    }

    @Test func theBestLineHasTheMostExamplesPassingThenTheMostHits() {
        let hits = [LineSearch.Hit(line: 2, text: "a", passed: 1), LineSearch.Hit(line: 5, text: "b", passed: 2),
                    LineSearch.Hit(line: 7, text: "c", passed: 2), LineSearch.Hit(line: 7, text: "d", passed: 2)]
        #expect(LineSearch.best(of: hits).map(\.text) == ["c", "d"])
        #expect(LineSearch.best(of: Array(hits.prefix(2))).map(\.text) == ["b"])
        #expect(LineSearch.best(of: []).isEmpty)
    }
}
