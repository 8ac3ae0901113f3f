import ModelBackend
import SelfMoA
import Testing
import Tools
@testable import Assistant

/// complete's answer that stopped at its token cap goes on from where it stopped (the engine's
/// `continuationMaxTokens`, the answer's cap for complete), so a long body goes in whole rather
/// than cut back to its last complete statement.
@Suite struct CompleteContinuationTests {
    private let source = "function area(r) {\n    ‸\n}\n"
    private let cut = "const d = 2 * r;\n    return Math.PI"

    private func model() -> ScriptedModel {
        let model = ScriptedModel(proposals: [cut], infill: true)
        model.finishReason = "length"
        let cut = self.cut
        model.infillAnswers = { request in request.prefix.hasSuffix(cut) ? [" * d * d;\n}\n"] : nil }
        model.infillFinishReasonOf = { request in request.prefix.hasSuffix(cut) ? "stop" : nil }
        return model
    }

    private func input() -> ActionInput {
        let (text, cursor) = marked(source)
        return ActionInput(fileName: "area.js", language: "javascript", text: text, selection: cursor)
    }

    @Test func aCutAnswerGoesOnAndGoesInWhole() async throws {
        let model = model()
        var settings = AssistantSettings()
        settings[action: .complete] = ActionSettings(samples: 3, checkSyntax: false)
        let result = try await Assistant(model: model, settings: settings).complete(input())
        #expect(result.code == "const d = 2 * r;\n    return Math.PI * d * d;", "\(result.code)")
        #expect(!result.cost.notes.contains(CompleteResult.cutBackNote))
        let continuations = model.infillRequests.filter { $0.prefix.hasSuffix(cut) }
        let continuation = try #require(continuations.first)
        #expect(continuations.count == 1 && model.infillRequests.last == continuation)
        #expect(continuation.n == 1 && continuation.options.temperature == 0)
        #expect(continuation.options.maxTokens == ActionConfiguration(.complete, ActionSettings()).engine.answerMaxTokens)
    }

    /// One sample (`mode: single`) is one request: its cut answer is taken back, not continued.
    @Test func oneSampleIsNotContinued() async throws {
        let model = model()
        var settings = AssistantSettings()
        settings[action: .complete] = ActionSettings(samples: 1, mode: .single, checkSyntax: false)
        let result = try await Assistant(model: model, settings: settings).complete(input())
        #expect(model.infillRequests.count == 1)
        #expect(result.code == "const d = 2 * r;")
        #expect(result.cost.notes.contains(CompleteResult.cutBackNote))
    }

    /// The candidates were checked as they were cut; a continuation that the checker ranks below
    /// the chosen candidate (here: it does not parse) is set aside, and the candidate goes in as
    /// it would have, taken back to its last complete statement.
    @Test(.enabled(if: ToolProcess.find("node") != nil)) func aContinuationThatDoesNotParseIsSetAside() async throws {
        let model = ScriptedModel(proposals: [cut], infill: true)
        model.finishReason = "length"
        let cut = self.cut
        model.infillAnswers = { request in request.prefix.hasSuffix(cut) ? [" * d * ;\n}\n"] : nil }
        model.infillFinishReasonOf = { request in request.prefix.hasSuffix(cut) ? "stop" : nil }
        var settings = AssistantSettings()
        settings[action: .complete] = ActionSettings(samples: 3, correctUnparsed: false)
        let result = try await Assistant(model: model, settings: settings).complete(input())
        #expect(model.infillRequests.contains { $0.prefix.hasSuffix(cut) })
        #expect(result.code == "const d = 2 * r;", "\(result.code)")
        #expect(result.cost.notes.contains(CompleteResult.cutBackNote))
    }
}
