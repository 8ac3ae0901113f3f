import Foundation
import ModelBackend
import SelfMoA
import Testing
import Tools
@testable import Assistant

/// The actions end to end through the engine, over a scripted model.
@Suite struct AssistantTests {
    private func input(_ text: String = Samples.python, _ selection: Range<Int>?) -> ActionInput {
        ActionInput(fileName: "inventory.py", language: "python", text: text, selection: selection)
    }

    private func userMessage(_ request: ChatRequest?) -> String {
        request?.messages.first { $0.role == .user }?.content ?? ""
    }

    // MARK: Explain

    @Test func explainsASelectionWithTheFileAroundIt() async throws {
        let model = ScriptedModel(
            proposals: ["It averages prices.", "It computes the mean price."],
            synthesis: "```markdown\nComputes the **mean price**.\n\n- Returns `0.0` for no items.\n```"
        )
        let text = Samples.python
        let start = offset(of: "def average_price", in: Samples.python, after: false)
        let end = offset(of: "return 0.0", in: text)
        let events = EventLog()
        var settings = AssistantSettings()
        settings.explain.answer = .synthesis
        let result = try await Assistant(model: model, settings: settings)
            .explain(input(text, start..<end), onProgress: events.onProgress, onAnswer: events.onAnswer)

        // The greedy draft streams first; the other three proposals follow in one request.
        let draft = try #require(model.draftRequests.first)
        #expect(draft.options.temperature == 0)
        #expect(model.calls.firstIndex { if case .stream = $0 { true } else { false } }!
            < model.calls.firstIndex { if case .complete = $0 { true } else { false } }!)
        let proposals = try #require(model.completeRequests.first)
        // One request for the proposals; the others are the round trips that rank them.
        #expect(model.completeRequests.filter { $0.messages.first?.content != RoundTripPrompt.system }.count == 1)
        #expect(proposals.n == 3)
        #expect(proposals.messages == draft.messages)
        #expect(proposals.options.temperature == 0.7)
        #expect(proposals.options.maxTokens == 256)
        let first = lineIndex("def average_price", in: text) + 1
        let last = lineIndex("return 0.0", in: text) + 1
        let user = userMessage(proposals)
        #expect(user.hasPrefix("File: inventory.py (python)\n\n```python\n\"\"\"Inventory helpers.\"\"\"\nimport json"))
        #expect(user.contains("Selected code (lines \(first)–\(last)):\n\n```python\ndef average_price"))
        #expect(user.hasSuffix(ExplainPrompt.instruction(subject: "the selected code (lines \(first)–\(last))")))
        #expect(proposals.messages.first == .system(ExplainPrompt.system))

        let aggregation = try #require(model.aggregationRequests.first)
        let synthesis = "```markdown\nComputes the **mean price**.\n\n- Returns `0.0` for no items.\n```"
        #expect(candidates(of: aggregation) == [synthesis, "It averages prices.", "It computes the mean price.", "It averages prices."])
        // The draft streamed first, before the answer's text.
        let drafted = events.answer.compactMap { if case .draft(let text) = $0 { text } else { nil } }.joined()
        #expect(drafted == synthesis)
        #expect(events.answer.firstIndex { if case .delta = $0 { true } else { false } }!
            > events.answer.lastIndex { if case .draft = $0 { true } else { false } }!)
        #expect(aggregation.options.temperature == 0)
        #expect(aggregation.messages.last?.content.hasSuffix(ExplainPrompt.answerFormat) == true)

        #expect(result.markdown == "Computes the **mean price**.\n\n- Returns `0.0` for no items.")
        #expect(result.run.aggregated)
        #expect(events.assembledAnswer == result.run.text)
        #expect(events.progress.last?.fraction == 1)
    }

    @Test func explainingAtACursorTakesTheEnclosingFunction() async throws {
        let model = ScriptedModel()
        let cursor = offset(of: "data = json", in: Samples.python)
        _ = try await Assistant(model: model).explain(input(Samples.python, cursor..<cursor))
        let first = lineIndex("@cache", in: Samples.python) + 1
        let last = lineIndex("return [Item", in: Samples.python) + 1
        let user = userMessage(model.completeRequests.first)
        #expect(user.contains("Explain the selected code (lines \(first)–\(last))"))
        #expect(user.contains("Selected code (lines \(first)–\(last)):\n\n```python\n@cache\ndef load"))
    }

    @Test func explainingTheWholeFile() async throws {
        let model = ScriptedModel()
        _ = try await Assistant(model: model).explain(input(Samples.python, nil))
        let user = userMessage(model.completeRequests.first)
        #expect(user.contains("Explain this file:"))
        #expect(!user.contains("Selected code"))
    }

    /// The default ranks the sound candidates by the code the model rebuilds from each: the
    /// explanation that says what the loop does wins over those that say what it is meant to do.
    @Test func explainAnswersWithTheCandidateThatRebuildsTheCodeBest() async throws {
        let code = "def total_value(items):\n    total = 0\n    for item in items:\n        total = item.price * item.quantity\n    return total\n"
        let model = ScriptedModel(
            proposals: ["It sums every item's value.", "Each pass overwrites `total`.", "It sums every item's value."],
            synthesis: "It sums every item's value.")
        model.answers = { request in
            guard request.messages.first?.content == RoundTripPrompt.system else { return nil }
            let described = request.messages.last?.content ?? ""
            return described.contains("overwrites") ? ["```python\n\(code)```"] : ["```python\ndef total_value(items):\n    return sum(items)\n```"]
        }
        let result = try await Assistant(model: model).explain(input(code, nil))
        #expect(result.markdown == "Each pass overwrites `total`.")
        let rewrites = model.completeRequests.filter { $0.messages.first?.content == RoundTripPrompt.system }
        #expect(rewrites.count == 4)
        #expect(result.cost.roundTrips == 4)
        #expect(result.cost.summary.contains("+ 4 round trips to rank them"))
        #expect(result.cost.forwardPasses == result.run.cost.forwardPasses + 4)

        // Off, or with one answer to give, nothing is rewritten; the central candidate answers.
        for settings in [ActionSettings(roundTrip: false), ActionSettings(mode: .single)] {
            let plain = ScriptedModel(proposals: ["It sums every item's value.", "Each pass overwrites `total`.", "It sums every item's value."], synthesis: "It sums every item's value.")
            var all = AssistantSettings()
            all.explain = settings
            let other = try await Assistant(model: plain, settings: all).explain(input(code, nil))
            #expect(plain.completeRequests.allSatisfy { $0.messages.first?.content != RoundTripPrompt.system })
            #expect(other.markdown == "It sums every item's value.")
            #expect(other.cost.roundTrips == 0)
        }
    }

    /// Every candidate ran past its cap: on llama.cpp's server (it has fill-in-the-middle) the
    /// chosen one is continued from where it stopped, so the answer ends as the model ends it.
    @Test func anExplanationEveryCandidateRanPastItsCapIsContinued() async throws {
        for infill in [true, false] {
            let model = ScriptedModel(proposals: ["It sums the prices and"], synthesis: "It sums the prices and", infill: infill)
            model.finishReason = "length"
            model.finishReasonOf = { request in request.messages.last?.role == .assistant ? "stop" : nil }
            model.answers = { request in request.messages.last?.role == .assistant ? [" returns the total."] : nil }
            var settings = AssistantSettings()
            settings.explain.roundTrip = false
            let result = try await Assistant(model: model, settings: settings).explain(input(Samples.python, nil))
            let continuation = model.completeRequests.filter { $0.messages.last?.role == .assistant }
            if infill {
                #expect(result.markdown == "It sums the prices and returns the total.")
                #expect(!result.cost.answerCut)
                #expect(continuation.count == 1)
                #expect(continuation.first?.messages.last?.content == "It sums the prices and")
                #expect(continuation.first?.options.temperature == 0)
                #expect(continuation.first?.options.maxTokens == ActionConfiguration.continuation)
                #expect(result.cost.forwardPasses == 5)
            } else {
                // Elsewhere a trailing assistant message may be answered, not continued: not asked.
                #expect(result.markdown == "It sums the prices and")
                #expect(result.cost.answerCut)
                #expect(continuation.isEmpty)
            }
        }
    }

    @Test func aFailedRoundTripIsNotedAndTheCandidatesStillAnswer() async throws {
        let model = ScriptedModel(proposals: ["It sums."], synthesis: "It sums.")
        model.completeError = { request in
            request.messages.first?.content == RoundTripPrompt.system ? ModelBackendError(.timeout, "the backend took too long") : nil
        }
        let result = try await Assistant(model: model).explain(input(Samples.python, nil))
        #expect(result.markdown == "It sums.")
        #expect(result.cost.notes.contains("a round trip failed: the backend took too long"))
    }

    // MARK: Review

    @Test func reviewShowsNumberedLinesAndParsesTheMergedFindings() async throws {
        let text = Samples.python
        let division = lineIndex("return total / len", in: text)
        let open = lineIndex("with open(path)", in: text)
        let model = ScriptedModel(
            proposals: ["L\(division + 1) error: division by zero", "NO ISSUES"],
            synthesis: """
                - **L\(division + 1)** error: `len(prices)` can be zero
                ```python
                \(division + 1) |         return total / max(len(prices), 1)
                ```
                Line \(open + 1): the encoding is not given
                L\(division + 1) warning: len(prices) can be zero.
                L400 error: not in the file
                """
        )
        let result = try await Assistant(model: model).review(input(text, nil))

        let user = userMessage(model.completeRequests.first)
        #expect(user.contains("\(division + 1) |         return total / len(prices)"))
        #expect(user.contains(" 1 | \"\"\"Inventory helpers.\"\"\""))
        #expect(user.contains("L<line> <severity>: <problem>"))
        #expect(user.contains("Review this file for real problems"))
        let aggregation = try #require(model.streamRequests.first)
        #expect(candidates(of: aggregation).contains("L\(division + 1) error: division by zero"))
        #expect(candidates(of: aggregation).contains("NO ISSUES"))
        #expect(aggregation.messages.last?.content.hasSuffix(ReviewPrompt.answerFormat) == true)

        #expect(result.findings == [
            Finding(
                startLine: division, endLine: division, severity: .error, message: "`len(prices)` can be zero",
                replacement: "        return total / max(len(prices), 1)"
            ),
            Finding(startLine: open, endLine: open, severity: .warning, message: "the encoding is not given"),
        ])
        #expect(result.markdown.hasPrefix("**Review of `inventory.py`: 2 findings**"))
        #expect(result.markdown.contains("- **error** · line \(division + 1): `len(prices)` can be zero"))
        #expect(result.markdown.contains("  ```python\n          return total / max(len(prices), 1)\n  ```"))
        #expect(result.markdown.contains("- **warning** · line \(open + 1): the encoding is not given"))
    }

    @Test func reviewWithNoIssues() async throws {
        let model = ScriptedModel(proposals: ["NO ISSUES"], synthesis: "NO ISSUES")
        let (text, selection) = marked("⟨def f(x):\n    return x⟩\n\nprint(f(1))\n")
        let result = try await Assistant(model: model).review(input(text, selection))
        #expect(result.findings.isEmpty)
        #expect(result.markdown == "**Review of `inventory.py` (lines 1–2): no issues found.**")
        #expect(userMessage(model.completeRequests.first).contains("Report only problems in the selected lines."))
    }

    @Test func anUnreadableReviewIsShownAsWritten() async throws {
        let model = ScriptedModel(synthesis: "The code seems fine but could use more comments.")
        let result = try await Assistant(model: model).review(input(Samples.python, nil))
        #expect(result.findings.isEmpty)
        #expect(result.markdown.hasSuffix("\n\nThe code seems fine but could use more comments."))
    }

    @Test func whenAggregationFailsTheProposalsFindingsAreMerged() async throws {
        let model = ScriptedModel(proposals: ["L2 warning: unused import", "L2 error: Unused import.\nL4 hint: long line"])
        model.streamError = ModelBackendError(.serverError, "boom")
        let result = try await Assistant(model: model).review(input(Samples.python, nil))
        #expect(!result.run.aggregated)
        #expect(result.findings.map(\.lines) == [1...1, 3...3])
        #expect(result.findings[0].severity == .error)
    }

    private let buggy = """
        def total_value(items):
            total = 0
            for item in items:
                total = item.price * item.quantity
            return total


        def count(items):
            return len(items)

        """

    /// A model whose review says nothing and whose repairs fix `total_value`'s loop.
    private func repairingModel() -> ScriptedModel {
        let model = ScriptedModel(proposals: ["NO ISSUES"], synthesis: "NO ISSUES")
        let buggy = buggy
        model.answers = { request in
            guard request.messages.first?.content == RepairPrompt.system else { return nil }
            let code = request.messages.last?.content ?? ""
            if code.contains("def count") {
                return ["```python\ndef count(items):\n    return len(items)\n```\nBug: none"]
            }
            let fixed = buggy.splitLines.prefix(5).joined(separator: "\n")
                .replacingAll("total = item.price", with: "total += item.price")
            return ["```python\n\(fixed)\n```\nBug: the loop overwrites the total."]
        }
        return model
    }

    @Test func reviewRepairsEachFunctionAndReportsTheLinesMostRepairsChange() async throws {
        let model = repairingModel()
        let result = try await Assistant(model: model).review(input(buggy, nil))

        let repairs = model.completeRequests.filter { $0.messages.first?.content == RepairPrompt.system }
        // Each function: the greedy repair and four sampled in one request.
        #expect(repairs.map(\.n) == [1, 4, 1, 4])
        #expect(repairs.first.map(userMessage)?.contains("```python\ndef total_value(items):\n    total = 0\n") == true)
        #expect(repairs.first?.options.temperature == 0)
        #expect(result.findings == [Finding(
            startLine: 3, endLine: 3, severity: .warning,
            message: "the loop overwrites the total (5 of 5 attempts to fix the function change this line).",
            replacement: "        total += item.price * item.quantity"
        )])
        #expect(result.markdown.hasPrefix("**Review of `inventory.py`: 1 finding**"))
        #expect(result.repairs.count == 2)
        #expect(result.cost.repairChecks == 2)
        #expect(result.cost.forwardPasses == 5 + 2 * 5)
        #expect(result.cost.summary.contains("+ 2 functions repaired to check ("))
    }

    @Test func byDefaultRepairsOfAFunctionThatPassesItsExamplesDoNotVote() async throws {
        let correct = "def double(x):\n    \"\"\"\n    >>> double(2)\n    4\n    \"\"\"\n    return x + x\n"
        let model = ScriptedModel(proposals: ["NO ISSUES"], synthesis: "NO ISSUES")
        model.answers = { request in
            guard request.messages.first?.content == RepairPrompt.system else { return nil }
            return ["```python\ndef double(x):\n    \"\"\"\n    >>> double(2)\n    4\n    \"\"\"\n    return 2 * x\n```\nBug: clearer."]
        }
        // The rewrite keeps the example passing: without the examples it is a finding, with them not.
        var without = AssistantSettings()
        without.review.runExamples = false
        let plain = try await Assistant(model: model, settings: without).review(input(correct, nil))
        #expect(plain.findings.map(\.lines) == [5...5])
        // On by default (inside bubblewrap): the example passes, so no repair is even asked for.
        let before = model.completeRequests.count
        let judged = try await Assistant(model: model).review(input(correct, nil))
        #expect(judged.findings.isEmpty)
        #expect(model.completeRequests.dropFirst(before).allSatisfy { $0.messages.first?.content != RepairPrompt.system })
        #expect(judged.repairs.isEmpty)
    }

    /// `double` squares instead of doubling; its one example fails.
    private static let buggyDouble = "def double(x):\n    \"\"\"\n    >>> double(3)\n    6\n    \"\"\"\n    return x * x\n"
    private static let fixedDouble = buggyDouble.replacingAll("return x * x", with: "return x + x")

    /// A model that reviews "no issues" and answers each repair request with `double` fixed
    /// (`Bug: squares.`) where `fixes` says so, else unchanged (`Bug: none`).
    private func repairingDouble(infill: Bool = false, fixes: @escaping @Sendable (ChatRequest) -> Bool) -> ScriptedModel {
        let model = ScriptedModel(proposals: ["NO ISSUES"], synthesis: "NO ISSUES", infill: infill)
        model.answers = { request in
            guard request.messages.first?.content == RepairPrompt.system else { return nil }
            return fixes(request) ? ["```python\n\(Self.fixedDouble)```\nBug: squares."] : ["```python\n\(Self.buggyDouble)```\nBug: none"]
        }
        return model
    }

    /// Without a working bubblewrap nothing runs: every repair votes, and the cost report says why.
    @Test func withoutBubblewrapExamplesDoNotRunAndTheReportSaysSo() async throws {
        let buggy = Self.buggyDouble
        let model = repairingDouble { _ in true }
        let result = try await Assistant(model: model, sandbox: DoctestSandbox(bwrap: "/nonexistent/bwrap")).review(input(buggy, nil))
        #expect(result.cost.notes.contains { $0.hasPrefix("docstring examples not run:") })
        #expect(result.findings.map(\.lines) == [5...5])
        #expect(!result.findings[0].message.contains("examples"))
    }

    @Test func byDefaultOneRepairThatFixesAnExampleIsAFinding() async throws {
        let buggy = Self.buggyDouble
        // The greedy repair fixes the function; the sampled ones change nothing.
        let model = repairingDouble { $0.n == 1 }
        var without = AssistantSettings()
        without.review.runExamples = false
        let plain = try await Assistant(model: model, settings: without).review(input(buggy, nil))
        #expect(plain.findings.isEmpty)
        // On by default (inside bubblewrap).
        let before = model.completeRequests.count
        let judged = try await Assistant(model: model).review(input(buggy, nil))
        #expect(judged.findings == [Finding(
            startLine: 5, endLine: 5, severity: .warning,
            message: "`double(3)` gives `9`, the docstring says `6`. squares (1 of 1 repairs that pass more of the docstring's examples change this line).",
            replacement: "    return x + x"
        )])
        // The repair request showed the model the failing example, what it gave and what it should.
        let asked = model.completeRequests.dropFirst(before).filter { $0.messages.first?.content == RepairPrompt.system }
        #expect(asked.map(\.n) == [1, 4])
        #expect(asked.first.map(userMessage)?.hasSuffix(
            "```\n>>> double(3)\n```\nThe docstring expects:\n```\n6\n```\nThe function gives:\n```\n9\n```") == true)
    }

    @Test func whenNoRepairFixesAFailingExampleItsLinesAreFilledInOneByOne() async throws {
        let model = repairingDouble(infill: true) { _ in false }
        model.infillAnswers = { _ in ["return x + x"] }
        let events = ProgressLog()
        let result = try await Assistant(model: model).review(input(Self.buggyDouble, nil), onProgress: { events.append($0) })
        #expect(result.findings == [Finding(
            startLine: 5, endLine: 5, severity: .warning,
            message: "`double(3)` gives `9`, the docstring says `6`. With this line as `return x + x`, 1 of 1 examples pass (0 now).",
            replacement: "    return x + x")])
        // One round of repairs, then the line search instead of a second.
        #expect(model.completeRequests.filter { $0.messages.first?.content == RepairPrompt.system }.map(\.n) == [1, 4])
        #expect(model.infillRequests.map(\.n) == [1, 2])
        #expect(result.cost.lineSearches == 1)
        #expect(result.cost.summary.contains("+ 1 function searched line by line"))
        #expect(result.cost.forwardPasses == result.run.cost.forwardPasses + 5 + 2)
        // The editor sees the search advance, line by line, and the progress never go back.
        let searched = events.all.compactMap { progress -> String? in
            if case .checked = progress.event { return progress.message } else { return nil }
        }
        #expect(searched == ["line search 1/1"])
        #expect(events.all.map(\.fraction) == events.all.map(\.fraction).sorted())
    }

    @Test func whenNoRepairFixesAFailingExampleASecondRoundIsSampled() async throws {
        let buggy = Self.buggyDouble
        // Only the second round (five samples, no greedy one) fixes the function.
        let model = repairingDouble { $0.n == 5 }
        var settings = AssistantSettings()
        settings.review.seed = 7
        // Without fill-in-the-middle (the scripted model offers none), the function is repaired
        // once more.
        let result = try await Assistant(model: model, settings: settings).review(input(buggy, nil))
        let asked = model.completeRequests.filter { $0.messages.first?.content == RepairPrompt.system }
        #expect(asked.map(\.n) == [1, 4, 5])
        #expect(asked.last?.options.temperature != 0)
        // The second round does not draw the first round's samples again.
        #expect(Set(asked.compactMap(\.options.seed)).count == asked.count)
        #expect(result.repairs.count == 2)
        #expect(result.findings.map(\.lines) == [5...5])
        #expect(result.findings.first?.message.contains("5 of 5 repairs that pass more") == true)
    }

    @Test func withoutTheRepairCheckOnlyTheReviewRuns() async throws {
        let model = repairingModel()
        var settings = AssistantSettings()
        settings.review.repairCheck = false
        let result = try await Assistant(model: model, settings: settings).review(input(buggy, nil))
        #expect(model.completeRequests.allSatisfy { $0.messages.first?.content == ReviewPrompt.system })
        #expect(result.findings.isEmpty)
        #expect(result.repairs.isEmpty)
        #expect(!result.cost.summary.contains("repaired"))
    }

    @Test func progressRunsOnceFromZeroToOneOverTheReviewAndItsRepairs() async throws {
        let model = repairingModel()
        let events = ProgressLog()
        _ = try await Assistant(model: model).review(input(buggy, nil), onProgress: { events.append($0) })
        let all = events.all
        let fractions = all.map(\.fraction)
        #expect(fractions == fractions.sorted())
        #expect(fractions.last == 1)
        #expect(all.filter { if case .planned = $0.event { return true } else { return false } }.count == 1)
        #expect(all.filter { if case .finished = $0.event { return true } else { return false } }.count == 1)
        // The ending is the review's (aggregated), not the last repair's (a central choice).
        #expect(all.last?.event == .finished(aggregated: true))
    }

    @Test func findingsOnLinesTheModelDidNotSeeAreDropped() async throws {
        // A tiny context forces trimming around the selection.
        let lines = (1...400).map { "value_\($0) = compute(\($0))" }
        let text = lines.joined(separator: "\n")
        let start = offset(of: "value_200 ", in: text, after: false)
        let model = ScriptedModel(synthesis: "L200 error: shown\nL5 error: not shown", contextTokens: 2_600)
        var settings = AssistantSettings()
        settings.review.samples = 2
        let result = try await Assistant(model: model, settings: settings).review(input(text, start..<(start + 5)))
        #expect(result.run.plan.trimmed)
        #expect(result.findings.map(\.startLine) == [199])
    }

    // MARK: Complete

    /// complete as plain Self-MoA over 4 samples: no candidate choice (greedy proposal, checks,
    /// agreement), the aggregator writes the answer.
    private var naiveComplete: AssistantSettings {
        var settings = AssistantSettings()
        settings.complete = settings.complete.applying(
            ActionSettings(samples: 4, greedyProposal: false, agreement: false, checkSyntax: false, answer: .synthesis, wholeFunction: false)
        )
        return settings
    }

    @Test func completeUsesInfillProposalsAndCleansTheSynthesis() async throws {
        let source = """
            import math

            def area(r):
                pi = math.pi
                ‸
            print(area(2))
            """
        let (text, cursor) = marked(source)
        let model = ScriptedModel(
            proposals: ["return pi * r * r\nprint(area(2))"], infill: true
        )
        model.synthesis = "Here is the code:\n```python\ndef area(r):\n    pi = math.pi\n    return pi * r ** 2\n```"
        let result = try await Assistant(model: model, settings: naiveComplete).complete(input(text, cursor))

        let infill = try #require(model.infillRequests.first)
        #expect(model.completeRequests.isEmpty)
        #expect(infill.n == 4)
        #expect(infill.options.maxTokens == 192)
        #expect(infill.prefix == "import math\n\ndef area(r):\n    pi = math.pi\n    ")
        #expect(infill.suffix == "\nprint(area(2))")
        let aggregation = try #require(model.streamRequests.first)
        #expect(userMessage(aggregation).contains("    pi = math.pi\n    <CURSOR>\nprint(area(2))"))
        #expect(userMessage(aggregation).contains(CompletePrompt.insert(marker: "<CURSOR>")))
        // The engine cut the repeated suffix from each infill proposal.
        #expect(candidates(of: aggregation) == Array(repeating: "return pi * r * r", count: 4))
        #expect(aggregation.messages.last?.content.hasSuffix(CompletePrompt.insertAnswerFormat(marker: "<CURSOR>")) == true)

        #expect(result.code == "return pi * r ** 2")
        #expect(result.replace == cursor)
    }

    @Test func completionUsesTheSmallerSettingsAndAChatWithoutInfill() async throws {
        let (text, cursor) = marked("def f(items):\n    total = ‸\n    return total\n")
        let model = ScriptedModel(proposals: ["sum(items)"], synthesis: "total = sum(items)")
        let result = try await Assistant(model: model).complete(input(text, cursor), kind: .completion)

        let proposals = try #require(model.completeRequests.first)
        #expect(proposals.n == 2)
        #expect(proposals.options.maxTokens == 96)
        #expect(userMessage(proposals).contains("    total = <CURSOR>\n"))
        #expect(userMessage(proposals).hasSuffix(CompletePrompt.continuation(marker: "<CURSOR>")))
        #expect(result.code == "sum(items)")
        #expect(result.replace == cursor)
    }

    @Test(.enabled(if: ToolProcess.find("python3") != nil))
    func completeBringsTheStandardImportsItsCodeNeeds() async throws {
        let (text, cursor) = marked("from typing import List\n\ndef norm(xs: List[float]):\n    return ‸\n")
        let model = ScriptedModel(proposals: ["math.sqrt(sum(x * x for x in xs))"], synthesis: "math.sqrt(sum(x * x for x in xs))")
        let result = try await Assistant(model: model).complete(input(text, cursor), kind: .completion)
        #expect(result.code == "math.sqrt(sum(x * x for x in xs))")
        #expect(result.imports == ImportInsertion(offset: "from typing import List\n".utf8.count, statements: ["import math"]))

        var settings = AssistantSettings()
        settings[action: .completion] = ActionSettings(addImports: false)
        let off = try await Assistant(model: model, settings: settings).complete(input(text, cursor), kind: .completion)
        #expect(off.code == result.code)
        #expect(off.imports == nil)
    }

    @Test(.enabled(if: ToolProcess.find("python3") != nil))
    func importsWhereTheCodeStartsBecomePartOfTheCode() async throws {
        let (text, cursor) = marked("‸\n")
        let model = ScriptedModel(proposals: ["RATE = math.pi"], synthesis: "RATE = math.pi")
        let result = try await Assistant(model: model).complete(input(text, cursor), kind: .completion)
        #expect(result.code == "import math\nRATE = math.pi")
        #expect(result.imports == nil)
    }

    /// With `wholeFunction`, an empty function body is asked for as the whole function, by chat,
    /// with room for the restated docstring; the answer's body goes in, its helper after the
    /// function, and its import where the file's imports are.
    @Test(.enabled(if: ToolProcess.find("python3") != nil))
    func wholeFunctionAsksForTheFunctionAndInsertsItsBody() async throws {
        let source = "import os\n\n\ndef hypot(a, b):\n    \"\"\"The hypotenuse.\"\"\"\n‸"
        let (text, cursor) = marked(source)
        let answer = """
            Here it is:
            ```python
            import math

            def square(x):
                return x * x

            def hypot(a, b):
                \"\"\"Length of the hypotenuse.\"\"\"
                return math.sqrt(square(a) + square(b))
            ```
            """
        let model = ScriptedModel(proposals: [answer], infill: true)
        var settings = AssistantSettings()
        settings[action: .complete] = ActionSettings(samples: 2, wholeFunction: true, wholeFunctionMode: .selfMoA)
        let result = try await Assistant(model: model, settings: settings).complete(input(text, cursor))

        #expect(model.infillRequests.isEmpty)
        let proposals = try #require(model.completeRequests.first)
        #expect(proposals.messages.first?.content == CompletePrompt.assistant)
        #expect(userMessage(proposals) == "Complete the function `hypot` in the following Python file:\n```python\n"
            + text + "\n```")
        let restated = ("def hypot(a, b):\n" + "    \"\"\"The hypotenuse.\"\"\"\n").utf8.count + 1
        // Each whole function may answer, so each gets the answer's cap (256), not a proposal's.
        #expect(proposals.options.maxTokens == 256 + (restated + 2) / 3)
        #expect(result.code == "    return math.sqrt(square(a) + square(b))\n\n\ndef square(x):\n    return x * x")
        #expect(result.imports == ImportInsertion(offset: "import os\n".utf8.count, statements: ["import math"]))

        // `wholeFunctionMode` sets the mode there: one greedy sample, with the answer's cap.
        let single = ScriptedModel(proposals: ["unused"], synthesis: answer, infill: true)
        settings[action: .complete] = ActionSettings(samples: 2, wholeFunction: true, wholeFunctionMode: .single)
        let greedy = try await Assistant(model: single, settings: settings).complete(input(text, cursor))
        // The single answer is streamed.
        let request = try #require(single.streamRequests.first)
        #expect(single.completeRequests.isEmpty && single.infillRequests.isEmpty && single.streamRequests.count == 1)
        #expect(request.options.temperature == 0)
        #expect(userMessage(request).hasPrefix("Complete the function `hypot`"))
        #expect(request.options.maxTokens == 256 + (restated + 2) / 3)
        #expect(greedy.code == result.code)
        #expect(greedy.run.plan.mode == .single)

        // Off, or where the body is not empty, proposals are asked for as before; the default
        // is on, the greedy whole function first (no examples here, so it answers alone).
        let byDefault = ScriptedModel(proposals: [answer], synthesis: "unused", infill: true)
        #expect(try await Assistant(model: byDefault).complete(input(text, cursor)).code == result.code)
        #expect(byDefault.completeRequests.map(\.n) == [1] && byDefault.streamRequests.isEmpty && byDefault.infillRequests.isEmpty)
        let plain = ScriptedModel(proposals: ["    return 0"], infill: true)
        settings[action: .complete] = ActionSettings(wholeFunction: false)
        _ = try await Assistant(model: plain, settings: settings).complete(input(text, cursor))
        #expect(plain.completeRequests.allSatisfy { !userMessage($0).contains("whole function") })
        #expect(!plain.infillRequests.isEmpty)
        let begun = marked("def hypot(a, b):\n    s = a * a + b * b\n‸")
        let partial = ScriptedModel(proposals: ["    return s ** 0.5"], infill: true)
        _ = try await Assistant(model: partial, settings: settings).complete(input(begun.0, begun.1))
        #expect(!partial.infillRequests.isEmpty)
    }

    /// A method's empty body is filled at the cursor, not asked for whole: there the small model
    /// restated the class or the file instead (bench/RESULTS.md §5.12).
    @Test func aMethodsEmptyBodyIsFilledAtTheCursor() async throws {
        let (text, cursor) = marked("class Box:\n    def size(self):\n        \"\"\"How many.\"\"\"\n‸")
        let model = ScriptedModel(proposals: ["        return len(self.items)"], infill: true)
        var settings = AssistantSettings()
        settings[action: .complete] = ActionSettings(samples: 2, wholeFunction: true)
        let result = try await Assistant(model: model, settings: settings).complete(input(text, cursor))
        #expect(!model.infillRequests.isEmpty)
        #expect(!model.completeRequests.contains { userMessage($0).contains("Complete the function") })
        #expect(result.code.contains("return len(self.items)"))
    }

    /// An answer with nothing for this place (the file repeated, the body still empty) inserts
    /// nothing and says so, rather than reporting an empty insertion as done.
    @Test func anAnswerWithNoCodeForThePlaceIsARefusal() async throws {
        let (text, cursor) = marked("def f(x):\n    \"\"\"Twice.\"\"\"\n‸")
        let model = ScriptedModel(synthesis: "```python\ndef f(x):\n    \"\"\"Twice.\"\"\"\n\n```")
        var settings = AssistantSettings()
        settings[action: .complete] = ActionSettings(mode: .single, wholeFunction: false)
        let result = try await Assistant(model: model, settings: settings).complete(input(text, cursor))
        #expect(result.code.isEmpty)
        #expect(result.refusal == "the model's answer held no code for this place; nothing was inserted")
    }

    @Test func completeRewritesSelectedLines() async throws {
        let source = "class Cart:\n    def total(self):\n        ⟨# TODO: sum the prices⟩\n\n    def clear(self):\n        self.items = []\n"
        let (text, selection) = marked(source)
        let model = ScriptedModel(proposals: ["return sum(i.price for i in self.items)"], infill: true)
        model.synthesis = "```python\nreturn sum(item.price for item in self.items)\n```"
        let result = try await Assistant(model: model, settings: naiveComplete).complete(input(text, selection))

        #expect(model.infillRequests.isEmpty)
        let user = userMessage(model.completeRequests.first)
        #expect(user.contains("Selected code (line 3):\n\n```python\n        # TODO: sum the prices\n```"))
        #expect(user.contains("Rewrite the selected code (line 3)"))
        #expect(result.code == "        return sum(item.price for item in self.items)")
        let lineStart = offset(of: "    def total(self):\n", in: text)
        #expect(result.replace == lineStart..<(lineStart + "        # TODO: sum the prices".utf8.count))
    }

    @Test func taskExposesWhatAnActionWouldAsk() {
        let assistant = Assistant(model: ScriptedModel())
        let cursor = offset(of: "return total", in: Samples.python)
        let task = assistant.task(.complete, for: input(Samples.python, cursor..<cursor))
        #expect(task.proposalSource == .infillWhenAvailable)
        #expect(task.context?.cursor?.line == lineIndex("return total", in: Samples.python))
        #expect(assistant.task(.review, for: input(Samples.python, nil)).context?.lineNumbers == true)
    }

    @Test func infillCanBeTurnedOffForChatProposals() {
        var settings = AssistantSettings()
        settings[action: .complete] = ActionSettings(infill: false)
        let assistant = Assistant(model: ScriptedModel(), settings: settings)
        let cursor = offset(of: "return total", in: Samples.python)
        #expect(assistant.task(.complete, for: input(Samples.python, cursor..<cursor)).proposalSource == .chat)
        #expect(assistant.task(.completion, for: input(Samples.python, cursor..<cursor)).proposalSource == .infillWhenAvailable)
    }
}

/// Collects progress and answer events in the order they arrive.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var _progress: [SelfMoAProgress] = []
    private var _answer: [AnswerEvent] = []

    var progress: [SelfMoAProgress] { lock.lock(); defer { lock.unlock() }; return _progress }
    var answer: [AnswerEvent] { lock.lock(); defer { lock.unlock() }; return _answer }

    var onProgress: @Sendable (SelfMoAProgress) -> Void {
        { event in self.lock.lock(); self._progress.append(event); self.lock.unlock() }
    }
    var onAnswer: @Sendable (AnswerEvent) -> Void {
        { event in self.lock.lock(); self._answer.append(event); self.lock.unlock() }
    }

    /// Deltas since the last reset.
    var assembledAnswer: String {
        lock.lock()
        defer { lock.unlock() }
        var text = ""
        for event in _answer {
            switch event {
            case .delta(let delta): text += delta
            case .reset: text = ""
            case .draft: break
            }
        }
        return text
    }
}
