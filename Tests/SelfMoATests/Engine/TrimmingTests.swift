import ModelBackend
import Testing
@testable import SelfMoA

/// When the file context alone does not fit, it is trimmed around the selection.
@Suite struct TrimmingTests {
    /// A 400-line file, selection at lines 200–202, imports at 0–1; one token per byte.
    private func run(contextTokens: Int, mode: SelfMoAMode = .auto) async throws -> (SelfMoAResult, ScriptedModel) {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(contextTokens: contextTokens))
        model.onCountTokens { $0.utf8.count }
        let task = Fixtures.task(context: Fixtures.context(lines: 400, selection: 200..<203))
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration(mode: mode)).run(task)
        return (result, model)
    }

    @Test func keepsTheSelectionTheImportsAndTheNearestLines() async throws {
        let (result, model) = try await run(contextTokens: 3500)
        #expect(result.plan.trimmed)
        #expect(result.plan.requiredTokens <= 3500)
        let user = try #require(model.completeRequests.first).messages[1].content
        for line in ["import Foundation", "import Logging", "let value200 = compute(200)", "let value202 = compute(202)"] {
            #expect(user.contains(line))
        }
        // Nearest lines on both sides; far lines left out and marked.
        #expect(user.contains("let value199 = compute(199)"))
        #expect(user.contains("let value203 = compute(203)"))
        #expect(!user.contains("let value50 = compute(50)"))
        #expect(!user.contains("let value390 = compute(390)"))
        #expect(user.contains("⋮ (lines"))
        #expect(user.contains("Only "))
        let shown = result.plan.shownLines
        #expect(shown.first == 0..<2)
        #expect(shown.count == 2)
        #expect(shown[1].contains(199) && shown[1].contains(203))
        // The window is balanced around the selection (above first).
        #expect(abs((200 - shown[1].lowerBound) - (shown[1].upperBound - 203)) <= 1)
        // The aggregator still starts with the (trimmed) proposer messages.
        #expect(Array(try #require(model.streamRequests.first).messages.prefix(2)) == model.completeRequests[0].messages)
    }

    @Test func usesAsManyLinesAsTheBudgetAllows() async throws {
        let (small, _) = try await run(contextTokens: 3500)
        let (large, _) = try await run(contextTokens: 5000)
        #expect(large.plan.shownLines[1].count > small.plan.shownLines[1].count)
        // One more line would not fit the smallest plan.
        #expect(small.plan.requiredTokens <= 3500)
    }

    /// Where nothing aggregates (`answer: central`), the proposals' room is the whole budget: the
    /// context that Self-MoA's aggregation would trim goes to the proposers whole, in one round.
    @Test func aCentralAnswerKeepsTheContextTheAggregationWouldTrim() async throws {
        let task = Fixtures.task(context: Fixtures.context(lines: 400, selection: 200..<203))
        func model(contextTokens: Int) -> ScriptedModel {
            let model = ScriptedModel(capabilities: Fixtures.capabilities(contextTokens: contextTokens))
            model.onCountTokens { $0.utf8.count }
            return model
        }
        var configuration = Fixtures.configuration()
        let whole = try await SelfMoAEngine(model: model(contextTokens: 1_000_000), configuration: configuration)
            .plan(task).counts.prompt
        // Exactly the room for the whole prompt and one proposal of 100 tokens.
        let tight = model(contextTokens: whole + 100)
        #expect(try await SelfMoAEngine(model: tight, configuration: configuration).plan(task).trimmed)
        configuration.answer = .central
        let result = try await SelfMoAEngine(model: tight, configuration: configuration).run(task)
        #expect(!result.plan.trimmed)
        #expect(result.plan.mode == .selfMoA)
        #expect(result.plan.rounds == [0..<6])
        #expect(tight.streamRequests.isEmpty)
        #expect(tight.completeRequests.last?.messages[1].content.contains("let value50 = compute(50)") == true)
        // One token less, and the context is trimmed after all.
        let tighter = model(contextTokens: whole + 99)
        #expect(try await SelfMoAEngine(model: tighter, configuration: configuration).plan(task).trimmed)
    }

    @Test func doesNotTrimWhatFits() async throws {
        let (result, model) = try await run(contextTokens: 1_000_000)
        #expect(!result.plan.trimmed)
        #expect(model.completeRequests[0].messages[1].content.contains("let value50 = compute(50)"))
    }

    @Test func refusesWhenTheSelectionAloneDoesNotFit() async throws {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(contextTokens: 1200))
        model.onCountTokens { $0.utf8.count }
        let task = Fixtures.task(context: Fixtures.context(lines: 400, selection: 100..<300))
        let error = await #expect(throws: SelfMoAError.self) {
            _ = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration()).run(task)
        }
        #expect(error?.code == .contextTooLarge)
        #expect(model.completeRequests.isEmpty && model.streamRequests.isEmpty)
    }

    @Test func nearestLinesAlternateAndSpillAtTheFileStart() {
        let context = Fixtures.context(lines: 20, selection: 2..<4)
        #expect(ContextView.around(context, nearest: 0, keepHeader: true).window == 2..<4)
        #expect(ContextView.around(context, nearest: 3, keepHeader: true).window == 0..<5)
        #expect(ContextView.around(context, nearest: 6, keepHeader: true).window == 0..<8)
        let middle = Fixtures.context(lines: 20, selection: 10..<11)
        #expect(ContextView.around(middle, nearest: 3, keepHeader: false).window == 8..<12)
        #expect(ContextView.around(middle, nearest: 100, keepHeader: false).window == 0..<20)
    }
}
