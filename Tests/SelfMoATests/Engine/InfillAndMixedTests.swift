import ModelBackend
import Testing
@testable import SelfMoA

/// Fill-in-the-middle proposals, and Mixed-MoA as a configuration.
@Suite struct InfillAndMixedTests {
    private func completionTask() -> SelfMoATask {
        let lines = [
            "import Foundation",
            "",
            "func area(_ r: Double) -> Double {",
            "    let pi = 3.14159",
            "    ",
            "}",
            "print(area(2))",
        ]
        let context = CodeContext(
            fileName: "area.swift", language: "swift", lines: lines, selection: 4..<5, header: 0..<1,
            cursor: CodeContext.Cursor(line: 4, utf8Column: 4)
        )
        return SelfMoATask(
            system: Fixtures.system, instruction: "Write the code at <CURSOR>.", context: context,
            answerFormat: "Reply with only the code to insert.", proposalSource: .infillWhenAvailable
        )
    }

    @Test func infillProposalsAreAggregatedThroughChat() async throws {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(infill: true))
        model.onInfill { request, _ in
            (0..<request.n).map { index in
                Completion(index: index, text: "return pi * r * r // \(index)\n}\nprint(area(2))\n```", finishReason: "stop")
            }
        }
        let task = completionTask()
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration()).run(task)

        #expect(model.completeRequests.isEmpty)
        let infill = try #require(model.infillRequests.first)
        #expect(model.infillRequests.count == 1)
        #expect(infill.n == 6)
        #expect(infill.options.temperature == 0.7)
        #expect(infill.options.seed == 1000)
        #expect(infill.prefix == "import Foundation\n\nfunc area(_ r: Double) -> Double {\n    let pi = 3.14159\n    ")
        #expect(infill.suffix == "\n}\nprint(area(2))")
        // The overlap with the suffix and the fence are cut.
        #expect(result.proposals.map(\.text) == (0..<6).map { "return pi * r * r // \($0)" })
        #expect(result.proposals.allSatisfy { $0.infill })

        let aggregation = try #require(model.streamRequests.first)
        #expect(Array(aggregation.messages.prefix(2)) == task.messages)
        #expect(aggregation.messages[1].content.contains("    <CURSOR>"))
        #expect(candidates(of: aggregation) == result.proposals.map(\.text))
        #expect(aggregation.messages[2].content.hasSuffix("Reply with only the code to insert."))
    }

    /// Samples the cap stopped after they ran past the cursor's block are not cut off: their
    /// code ended where they repeat the text after the cursor. A single answer's too.
    @Test func infillSamplesThatRanPastTheBlockAreNotCutOff() async throws {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(infill: true))
        model.onInfill { request, _ in
            (0..<request.n).map { index in
                let text = index == 0 ? "return pi * r * r\n}\nprint(area(2))\nprint(area(3" : "let d = 2 * r\n    return pi * d * d /"
                return Completion(index: index, text: text, finishReason: "length")
            }
        }
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration()).run(completionTask())
        #expect(result.proposals.map(\.finishReason) == ["stop"] + Array(repeating: "length", count: 5))
        #expect(result.proposals.first?.text == "return pi * r * r")

        var single = Fixtures.configuration()
        single.mode = .single
        let one = try await SelfMoAEngine(model: model, configuration: single).run(completionTask())
        #expect(one.text == "return pi * r * r" && !one.answerCut)
    }

    @Test func infillFallsBackToChatWithoutTheEndpoint() async throws {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(infill: false))
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration()).run(completionTask())
        #expect(model.infillRequests.isEmpty)
        #expect(model.completeRequests.count == 1)
        #expect(!result.plan.infill)
    }

    @Test func infillWithoutACursorIsRejected() async throws {
        var task = completionTask()
        task.context?.cursor = nil
        let error = await #expect(throws: SelfMoAError.self) {
            _ = try await SelfMoAEngine(model: ScriptedModel(), configuration: Fixtures.configuration()).run(task)
        }
        #expect(error?.code == .invalidTask)
    }

    @Test func mixedMoAUsesEachProposerModelRoundRobin() async throws {
        let model = ScriptedModel()
        var configuration = Fixtures.configuration()
        configuration.proposerModels = ["alpha", "beta", "gamma"]
        configuration.aggregatorModel = "judge"
        let result = try await SelfMoAEngine(model: model, configuration: configuration).run(Fixtures.task())

        // One n-request per model.
        #expect(model.completeRequests.map(\.options.model) == ["alpha", "beta", "gamma"])
        #expect(model.completeRequests.map(\.n) == [2, 2, 2])
        #expect(result.proposals.map(\.model) == ["alpha", "beta", "gamma", "alpha", "beta", "gamma"])
        #expect(Set(result.proposals.map(\.text)).count == 6)
        #expect(model.streamRequests.first?.options.model == "judge")
    }

    @Test func mixedMoAOnTheConcurrentPath() async throws {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(multipleSamples: false))
        var configuration = Fixtures.configuration()
        configuration.proposerModels = ["alpha", "beta"]
        let result = try await SelfMoAEngine(model: model, configuration: configuration).run(Fixtures.task())
        #expect(model.completeRequests.count == 6)
        #expect(result.proposals.map(\.model) == ["alpha", "beta", "alpha", "beta", "alpha", "beta"])
        #expect(result.proposals.map(\.seed) == (1000...1005).map { Optional($0) })
        #expect(model.streamRequests.first?.options.model == nil)
    }
}
