import Foundation
import ModelBackend
import SelfMoA
import Testing
import Tools
@testable import Assistant

/// A syntax checker that rejects sources containing a marker.
struct MarkerSyntaxChecker: SyntaxChecker {
    var broken = "BROKEN"
    func check(_ source: String, language: String) async -> SyntaxVerdict {
        source.contains(broken) ? .invalid("found \(broken)") : .valid
    }
}

/// Says every source has an unknown name, on the given lines.
struct UnresolvedSyntaxChecker: SyntaxChecker {
    var lines: [Int]
    func check(_ source: String, language: String) async -> SyntaxVerdict {
        .unresolved("error: ‘x’ undeclared", lines: lines)
    }
}

/// complete's candidate checks end to end: settings, the checker on real code, agreement.
@Suite struct CompleteCheckingTests {
    private let file = """
    def add(a, b):
        \"\"\"Add two numbers.

        >>> add(1, 2)
        3
        \"\"\"

    """

    private func input() -> ActionInput {
        ActionInput(fileName: "add.py", language: "python", text: file, selection: file.utf8.count..<file.utf8.count)
    }

    /// complete with only the choices `complete` names (the defaults' greedy proposal, syntax
    /// check, examples and agreement off, and the answer synthesised, unless named), over 4 samples: the
    /// scripts below write 4 proposals. The file's function body is empty, where complete would
    /// ask for the whole function: these tests are about choosing among proposals, so it does not.
    private func settings(_ complete: ActionSettings) -> AssistantSettings {
        var settings = AssistantSettings()
        settings.complete = settings.complete
            .applying(ActionSettings(
                samples: 4, greedyProposal: false, agreement: false, checkSyntax: false, runExamples: false, answer: .synthesis,
                wholeFunction: false
            ))
            .applying(complete)
        return settings
    }

    @Test func brokenCandidatesAreDroppedAndAMajorityAnswers() async throws {
        let model = ScriptedModel(proposals: [
            "    return a + b", "    return a BROKEN b", "    return a * b", "```python\n    return a+b  # sum\n```",
        ])
        let assistant = Assistant(
            model: model, settings: settings(ActionSettings(agreement: true, checkSyntax: true)),
            syntaxChecker: MarkerSyntaxChecker()
        )
        let result = try await assistant.complete(input())

        #expect(model.streamRequests.isEmpty)
        #expect(result.code == "    return a + b")
        #expect(result.run.selection.rejected == [1])
        #expect(result.run.selection.decidedByAgreement)
        #expect(result.cost.rejectedSamples == 1)
        #expect(result.cost.agreeingSamples == 2)
        #expect(result.cost.summary.contains("2 agreed"))
    }

    @Test func withoutAgreementTheSurvivorsAreAggregated() async throws {
        let model = ScriptedModel(
            proposals: ["    return a + b", "    return a BROKEN b", "    return b + a", "    return a BROKEN"],
            synthesis: "    return a + b"
        )
        let assistant = Assistant(
            model: model, settings: settings(ActionSettings(checkSyntax: true)), syntaxChecker: MarkerSyntaxChecker()
        )
        let result = try await assistant.complete(input())
        let aggregation = try #require(model.streamRequests.first)
        #expect(candidates(of: aggregation) == ["    return a + b", "    return b + a"])
        #expect(result.run.aggregated)
        #expect(result.code == "    return a + b")
    }

    /// A synthesis that does not parse, or only holds a placeholder, loses to a candidate.
    @Test(arguments: ["    return BROKEN", "    pass"])
    func aSynthesisFailingItsCheckIsReplacedByACandidate(_ synthesis: String) async throws {
        let model = ScriptedModel(proposals: ["    return a + b", "    return b + a"], synthesis: synthesis)
        let assistant = Assistant(
            model: model, settings: settings(ActionSettings(samples: 2, checkSyntax: true)), syntaxChecker: MarkerSyntaxChecker()
        )
        let result = try await assistant.complete(input())
        #expect(result.run.selection.synthesisRejected)
        #expect(result.code == "    return a + b")
        #expect(result.cost.synthesisRejected)
    }

    @Test func completeChoosesByDefaultAndOtherActionsDoNot() async throws {
        let model = ScriptedModel(proposals: ["    return a BROKEN b", "    return a + b", "    return b + a"])
        let assistant = Assistant(model: model, syntaxChecker: MarkerSyntaxChecker())
        // A body already begun: the whole function is asked for only where the body is empty.
        let begun = file + "    total = 0\n"
        let result = try await assistant.complete(
            ActionInput(fileName: "add.py", language: "python", text: begun, selection: begun.utf8.count..<begun.utf8.count)
        )
        // Proposal 0 (greedy, its own request) and 1 to 5 (one n = 5 request); the script's texts
        // cycle, so proposals 0, 1 and 4 are the broken one.
        // Not at the whole-function ask, so no escalation: all 6 sampled together.
        #expect(model.completeRequests.map(\.n).sorted() == [1, 5])
        #expect(!result.cost.passedAlone && !result.cost.escalated)
        #expect(result.run.selection.entries.allSatisfy { $0.check != nil })
        #expect(result.run.selection.rejected == [0, 1, 4])
        #expect(!result.run.selection.entries.contains { $0.check == nil })

        // At the empty body: the greedy whole function, checked alone; it passes the docstring's
        // example, so it answers and nothing more is sampled.
        let whole = ScriptedModel(proposals: ["def add(a, b):\n    return a + b"])
        let answer = try await Assistant(model: whole, syntaxChecker: MarkerSyntaxChecker()).complete(input())
        #expect(whole.completeRequests.map(\.n) == [1] && whole.infillRequests.isEmpty && whole.streamRequests.isEmpty)
        #expect(whole.completeRequests.first?.options.temperature == 0)
        #expect(answer.cost.passedAlone && answer.cost.forwardPasses == 1)
        #expect(answer.code == "    return a + b")

        let defaults = AssistantSettings()
        #expect(defaults.configuration(for: .complete).engine.answer == .central)
        #expect(defaults.configuration(for: .complete).engine.greedyProposal)
        #expect(defaults.configuration(for: .complete).engine.agreement)
        #expect(defaults.configuration(for: .complete).runExamples)
        #expect(defaults.configuration(for: .complete).engine.escalate)
        for kind in [ActionKindName.explain, .ask, .review, .completion] {
            #expect(defaults.configuration(for: kind).engine.answer == (kind == .explain ? .central : .synthesis))
            // The prose actions keep the greedy answer among their candidates: it is the draft.
            #expect(defaults.configuration(for: kind).engine.greedyProposal == (kind == .explain || kind == .ask))
            #expect(!defaults.configuration(for: kind).checkSyntax)
        }
    }

    @Test func theCheckerPlacesTheCodeInTheFile() async {
        let insertion = ContextExtractor.insertion(input())
        let checker = CompleteChecker(input: input(), insertion: insertion, syntax: MarkerSyntaxChecker(), sandbox: nil)
        #expect(checker.placed("    return a + b") == file + "    return a + b")
        let check = await checker.check("Here is the code:\n```python\n    return a + b\n```")
        // Code, parses, compiles (nothing more to check in Python), whole.
        #expect(check.level == 4)
        #expect(check.failure == nil)
        #expect(check.key == "returna+b")
        #expect(await checker.check("").level == 0)
        #expect(await checker.check("    return BROKEN").failure?.contains("does not parse") == true)
    }

    @Test func aCutOffCandidateRanksBelowWholeCodeOnlyWhenTheCutReachesItsCode() async {
        let insertion = ContextExtractor.insertion(input())
        let checker = CompleteChecker(input: input(), insertion: insertion, syntax: MarkerSyntaxChecker(), sandbox: nil)
        let cutInCode = "    total = a + b\n    return tot"
        #expect(await checker.check(cutInCode, cutOff: true).level == 3)
        #expect(await checker.check(cutInCode, cutOff: true).failure == "cut off by the token limit")
        #expect(await checker.check(cutInCode, cutOff: false).level == 4)
        // Cut in the test calls the clean-up drops: the code itself is whole.
        let cutInTail = "    return a + b\n\n\n# Test cases\nprint(add(1, 2)\nprint(add("
        #expect(await checker.check(cutInTail, cutOff: true).level == 4)
    }

    /// A cut-off candidate is judged by what complete would insert for it: in Python the lines
    /// of it that parse. Parsing so, it ranks above code that does not parse.
    @Test func aCutOffCandidateIsJudgedByTheCodeThatWouldGoIn() async {
        let insertion = ContextExtractor.insertion(input())
        let checker = CompleteChecker(input: input(), insertion: insertion, syntax: MarkerSyntaxChecker(), sandbox: nil)
        let cut = await checker.check("    total = a + b\n    return BROKEN", cutOff: true)
        #expect(cut.level == 3)
        #expect(cut.failure == "cut off by the token limit")
        #expect(cut.key == "total=a+b")
        let unparsed = await checker.check("    total = a + b\n    return BROKEN", cutOff: false)
        #expect(unparsed.level == 1)
        // Nothing of it parses: nothing would go in.
        #expect(await checker.check("    return BROKEN", cutOff: true).level == 1)
    }

    /// In a brace language, up to its last complete statement, with no toolchain needed to
    /// find it.
    @Test func aCutOffBraceCandidateIsJudgedUpToItsLastCompleteStatement() async {
        let source = "function total(items) {\n  \n}\n"
        let js = ActionInput(fileName: "total.js", language: "javascript", text: source, selection: 26..<26)
        let insertion = ContextExtractor.insertion(js)
        let checker = CompleteChecker(input: js, insertion: insertion, syntax: MarkerSyntaxChecker(), sandbox: nil)
        let cut = await checker.check("let sum = 0;\n  for (const item of items) {\n    sum += BROKEN", cutOff: true)
        #expect(cut.level == 3)
        #expect(cut.failure == "cut off by the token limit")
        #expect(cut.key?.contains("BROKEN") == false)
        #expect(await checker.check("let sum = 0;\n  return sum;", cutOff: false).level == 4)
    }

    /// complete's default: no majority, so the proposal most like the others answers, unaggregated.
    @Test func theCentralCandidateAnswersWithoutAggregation() async throws {
        let model = ScriptedModel(proposals: [
            "    return a - b", "    return a + b  # add", "    return a + b + 0", "    return b BROKEN a",
        ])
        let assistant = Assistant(
            model: model, settings: settings(ActionSettings(checkSyntax: true, answer: .central)),
            syntaxChecker: MarkerSyntaxChecker()
        )
        let result = try await assistant.complete(input())
        #expect(model.streamRequests.isEmpty)
        #expect(result.code == "    return a + b  # add")
        #expect(result.run.selection.decidedByCentrality)
        #expect(result.run.selection.rejected == [3])
        #expect(result.cost.summary.contains("the most typical chosen (not aggregated)"))
    }

    /// C: code that parses but names something the compiler does not know stops one level
    /// above code that does not parse, one below code that compiles; errors about names outside
    /// the code's own lines are the file's (the code broke its structure): it does not parse.
    @Test func codeThatOnlyParsesRanksBetween() async {
        let source = "int twice(int count) {\n    \n}\n"
        let c = ActionInput(fileName: "twice.c", language: "c", text: source, selection: 27..<27)
        let insertion = ContextExtractor.insertion(c)
        func check(_ code: String, errorsOn lines: [Int]) async -> CandidateCheck {
            let checker = CompleteChecker(input: c, insertion: insertion, syntax: UnresolvedSyntaxChecker(lines: lines), sandbox: nil)
            return await checker.check(code)
        }
        let inCode = await check("int y = x;\n    return y;", errorsOn: [2, 3])
        #expect(inCode.level == CompleteChecker.parsedLevel)
        #expect(inCode.failure == "does not compile: error: ‘x’ undeclared")
        #expect(await check("return x;", errorsOn: [2, 4]).level == CompleteChecker.parsedLevel - 1)
        #expect(await check("return x;", errorsOn: [0]).failure == "does not parse: error: ‘x’ undeclared")
        let compiles = CompleteChecker(input: c, insertion: insertion, syntax: MarkerSyntaxChecker(), sandbox: nil)
        #expect(await compiles.check("return count * 2;").level == CompleteChecker.compiledLevel + 1)
    }

    @Test func aPlaceholderRanksBelowRealCode() async {
        let insertion = ContextExtractor.insertion(input())
        let checker = CompleteChecker(input: input(), insertion: insertion, syntax: MarkerSyntaxChecker(), sandbox: nil)
        let stub = await checker.check("    # Your code here\n    pass")
        #expect(stub.level == 1)
        #expect(stub.failure == "a placeholder, not an implementation")
        #expect(await checker.check("    return a + b").level == 4)
    }

    /// Two identical stubs are a majority of four, but not of the candidates with real code.
    @Test func agreeingPlaceholdersDoNotWin() async throws {
        let model = ScriptedModel(
            proposals: ["    pass", "    return a + b", "    pass", "    return a + b"], synthesis: "    pass"
        )
        let assistant = Assistant(
            model: model, settings: settings(ActionSettings(agreement: true, checkSyntax: true)),
            syntaxChecker: MarkerSyntaxChecker()
        )
        let result = try await assistant.complete(input())
        #expect(result.code == "    return a + b")
        #expect(result.run.selection.rejected == [0, 2])
        #expect(result.run.selection.decidedByAgreement)
    }

    @Test func missingToolchainsKeepTheCandidateWithANote() async throws {
        let model = ScriptedModel(proposals: ["    return a + b", "    return b + a"])
        let assistant = Assistant(
            model: model, settings: settings(ActionSettings(samples: 2, checkSyntax: true)),
            syntaxChecker: ToolchainSyntaxChecker(searchPath: "/nonexistent")
        )
        let result = try await assistant.complete(input())
        #expect(result.run.selection.rejected.isEmpty)
        #expect(result.cost.notes == ["python3 not found on PATH: python candidates are not parsed"])
        #expect(result.cost.summary.contains("python3 not found"))
    }

    @Test(.enabled(if: ToolProcess.find("python3") != nil)) func examplesChooseTheCandidateThatPasses() async throws {
        let model = ScriptedModel(proposals: ["    return a - b", "    return a + b", "    return a * b"])
        let assistant = Assistant(model: model, settings: settings(ActionSettings(samples: 3, checkSyntax: true, runExamples: true)))
        let result = try await assistant.complete(input())
        #expect(model.streamRequests.isEmpty)
        #expect(result.code == "    return a + b")
        #expect(result.run.selection.kept == [1])
        #expect(result.run.selection.entries[0].check?.failure == "1 of 1 examples failed")
    }

    /// `escalate`: the greedy answer is checked alone; the others are sampled only when it fails
    /// the docstring's examples, and then the examples choose.
    @Test(.enabled(if: ToolProcess.find("python3") != nil)) func escalatingSamplesOnlyWhenTheGreedyAnswerFails() async throws {
        // At the empty body, where the whole function is asked for.
        let escalating = settings(ActionSettings(
            samples: 3, greedyProposal: true, checkSyntax: true, runExamples: true, answer: .central, wholeFunction: true,
            wholeFunctionMode: .selfMoA, escalate: true))
        let wrong = ScriptedModel(proposals: ["def add(a, b):\n    return a + b"])
        wrong.answers = { $0.options.temperature == 0 ? ["def add(a, b):\n    return a - b"] : nil }
        let escalated = try await Assistant(model: wrong, settings: escalating).complete(input())
        #expect(escalated.code == "    return a + b")
        #expect(wrong.completeRequests.map(\.n) == [1, 2])
        #expect(escalated.cost.escalated && !escalated.cost.passedAlone)
        #expect(escalated.cost.summary.contains("after the greedy answer failed a check"))

        let right = ScriptedModel(proposals: ["def add(a, b):\n    return a * b"])
        right.answers = { $0.options.temperature == 0 ? ["def add(a, b):\n    return a + b"] : nil }
        let alone = try await Assistant(model: right, settings: escalating).complete(input())
        #expect(alone.code == "    return a + b")
        #expect(right.completeRequests.map(\.n) == [1])
        #expect(alone.cost.passedAlone && alone.cost.forwardPasses == 1)
        #expect(alone.cost.summary.hasPrefix("greedy answer, passed its checks"))
    }

    @Test func settingsReachTheEngine() throws {
        let decoded = try JSONDecoder().decode(
            AssistantSettings.self,
            from: Data(#"{"complete": {"greedyProposal": true, "agreement": true, "checkSyntax": true, "runExamples": true}}"#.utf8)
        )
        let configuration = decoded.configuration(for: .complete)
        #expect(configuration.engine.greedyProposal)
        #expect(configuration.engine.agreement)
        #expect(decoded.complete.checkSyntax == true)
        #expect(decoded.complete.runExamples == true)
        #expect(!decoded.configuration(for: .review).engine.greedyProposal)
    }
}
