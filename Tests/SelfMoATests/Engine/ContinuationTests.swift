import ModelBackend
import Testing
@testable import SelfMoA

/// `continuationMaxTokens`: a chosen chat proposal that stopped at its cap is continued, where
/// the backend is llama.cpp's server (it offers fill-in-the-middle).
@Suite struct ContinuationTests {
    /// Proposals stop at their cap; a request ending with an assistant message finishes it.
    private func model(infill: Bool) -> ScriptedModel {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(infill: infill))
        model.onComplete { request, _ in
            if request.messages.last?.role == .assistant {
                return [Completion(index: 0, text: " and ends.", finishReason: "stop", usage: Usage(completionTokens: 3))]
            }
            return (0..<request.n).map { Completion(index: $0, text: "It starts", finishReason: "length", usage: Usage(completionTokens: 10)) }
        }
        return model
    }

    private func configuration(continuation: Int) -> SelfMoAConfiguration {
        var configuration = Fixtures.configuration(proposals: 3)
        configuration.answer = .central
        configuration.continuationMaxTokens = continuation
        return configuration
    }

    @Test func aChosenProposalCutAtItsCapIsContinued() async throws {
        let model = model(infill: true)
        let result = try await SelfMoAEngine(model: model, configuration: configuration(continuation: 64)).run(Fixtures.task())
        #expect(result.text == "It starts and ends.")
        #expect(!result.answerCut)
        let continuation = try #require(model.completeRequests.last)
        #expect(continuation.messages.dropLast() == model.completeRequests.first?.messages[...])
        #expect(continuation.messages.last == .assistant("It starts"))
        #expect(continuation.options.maxTokens == 64 && continuation.options.temperature == 0)
        #expect(result.cost.forwardPasses == 4)
        #expect(result.cost.proposalUsage.completionTokens == 3 * 10 + 3)
    }

    /// llama.cpp's server answers with the whole message, the given text first; others with
    /// what they added.
    @Test func aContinuationRepeatingTheGivenTextReplacesIt() {
        #expect(Run.joined("It starts", "It starts and ends.") == "It starts and ends.")
        #expect(Run.joined("It starts ", "It starts and ends.") == "It starts and ends.")
        #expect(Run.joined("It starts", " and ends.") == "It starts and ends.")
        #expect(Run.joined("", "It ends.") == "It ends.")
    }

    @Test func offOrWithoutLlamaCppTheCutAnswerStays() async throws {
        for (infill, continuation) in [(true, 0), (false, 64)] {
            let model = model(infill: infill)
            let result = try await SelfMoAEngine(model: model, configuration: configuration(continuation: continuation)).run(Fixtures.task())
            #expect(result.text == "It starts")
            #expect(result.answerCut)
            #expect(model.completeRequests.allSatisfy { $0.messages.last?.role != .assistant })
        }
    }

    /// A fill-in-the-middle answer goes on as one: the same request, its text added to the
    /// text before the cursor; the whole is cleaned again (here: the suffix it repeats is cut).
    @Test func aChosenInfillSampleCutAtItsCapGoesOnAsAnInfill() async throws {
        let context = CodeContext(
            fileName: "area.swift", language: "swift", lines: ["func area(_ r: Double) -> Double {", "    ", "}", "print(area(2))"],
            selection: 1..<2, cursor: CodeContext.Cursor(line: 1, utf8Column: 4)
        )
        let task = SelfMoATask(
            system: Fixtures.system, instruction: "Write the code at <CURSOR>.", context: context,
            answerFormat: "Reply with only the code to insert.", proposalSource: .infillWhenAvailable
        )
        let model = ScriptedModel(capabilities: Fixtures.capabilities(infill: true))
        model.onInfill { request, _ in
            if request.prefix.hasSuffix("return 3.14159") {
                return [Completion(index: 0, text: " * d * d\n}\nprint(area(2))", finishReason: "stop", usage: Usage(completionTokens: 5))]
            }
            return (0..<request.n).map {
                Completion(index: $0, text: "let d = 2 * r\n    return 3.14159", finishReason: "length", usage: Usage(completionTokens: 10))
            }
        }
        let result = try await SelfMoAEngine(model: model, configuration: configuration(continuation: 64)).run(task)
        #expect(result.text == "let d = 2 * r\n    return 3.14159 * d * d")
        #expect(!result.answerCut)
        let first = try #require(model.infillRequests.first)
        let continuation = try #require(model.infillRequests.last)
        #expect(model.infillRequests.count == 2)
        #expect(continuation.prefix == first.prefix + "let d = 2 * r\n    return 3.14159")
        #expect(continuation.suffix == first.suffix)
        #expect(continuation.n == 1 && continuation.options.maxTokens == 64 && continuation.options.temperature == 0)
        #expect(result.cost.forwardPasses == 4)
        #expect(result.cost.proposalUsage.completionTokens == 3 * 10 + 5)
    }
}
