import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

@Suite struct CostReportTests {
    private func input() -> ActionInput {
        ActionInput(fileName: "inventory.py", language: "python", text: Samples.python, selection: nil)
    }

    @Test func summarisesASelfMoARun() async throws {
        let model = ScriptedModel(proposals: ["An explanation."], synthesis: "The synthesis.")
        var settings = AssistantSettings()
        settings.explain.answer = .synthesis
        settings.explain.roundTrip = false
        let result = try await Assistant(model: model, settings: settings).explain(input())
        let report = result.cost
        #expect(report.mode == .selfMoA)
        #expect(report.samples == 4)
        #expect(report.aggregated)
        #expect(report.aggregationSteps == 1)
        #expect(report.forwardPasses == 5)
        // The streamed greedy draft (200/50/20 as every stream of the double), one n=3 request
        // (100 prompt tokens, 10 completion each) and one aggregation (200/50/20).
        #expect(report.promptTokens == 500)
        #expect(report.prefilledTokens == 200)
        #expect(report.completionTokens == 70)
        #expect(report.firstTextSeconds != nil)
        #expect(report.summary.hasPrefix(
            "Self-MoA 4 samples + 1 aggregation · 5 passes · 500 prompt (200 prefilled) / 70 completion tokens · "
        ))
        #expect(report.summary.hasSuffix(" s"))
    }

    @Test func summarisesASingleAnswer() async throws {
        var settings = AssistantSettings()
        settings.explain.mode = .single
        let model = ScriptedModel(synthesis: "Only answer.")
        let report = try await Assistant(model: model, settings: settings).explain(input()).cost
        #expect(report.mode == .single)
        #expect(report.summary.hasPrefix("single answer · 1 pass · 200 prompt (50 prefilled) / 20 completion tokens"))
    }

    @Test func numbersAreGroupedAndSecondsRounded() {
        #expect(CostReport.grouped(2310) == "2,310")
        #expect(CostReport.grouped(1_234_567) == "1,234,567")
        #expect(CostReport.grouped(999) == "999")
        #expect(CostReport.seconds(41.24) == "41.2 s")
        #expect(CostReport.seconds(0.96) == "1.0 s")
    }
}
