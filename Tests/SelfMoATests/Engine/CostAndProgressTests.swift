import ModelBackend
import Testing
@testable import SelfMoA

/// Cost accounting and progress events.
@Suite struct CostAndProgressTests {
    @Test func sumsUsageOverProposalsAndAggregation() async throws {
        let model = ScriptedModel()
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration()).run(Fixtures.task())
        let cost = result.cost
        #expect(cost.forwardPasses == 7)
        #expect(cost.proposalUsage == Usage(promptTokens: 100, prefilledTokens: 100, completionTokens: 60))
        #expect(cost.aggregationUsage == Usage(promptTokens: 200, prefilledTokens: 50, completionTokens: 20))
        #expect(cost.promptTokens == 300)
        #expect(cost.prefilledTokens == 150)
        #expect(cost.completionTokens == 80)
    }

    @Test func sumsUsageOverSeqSteps() async throws {
        let model = ScriptedModel()
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration(proposals: 12, mode: .seq))
            .run(Fixtures.task())
        #expect(result.cost.forwardPasses == 15)
        #expect(result.cost.promptTokens == 3 * 100 + 3 * 200)
        #expect(result.cost.prefilledTokens == 3 * 100 + 3 * 50)
        #expect(result.cost.completionTokens == 12 * 10 + 3 * 20)
    }

    @Test func measuresWallTimePerPhase() async throws {
        let model = ScriptedModel()
        model.onComplete { request, _ in
            try? await Task.sleep(for: .milliseconds(60))
            return ScriptedModel.samples(request.n, options: request.options)
        }
        model.onStream { request, number, yield throws(ModelBackendError) in
            try? await Task.sleep(for: .milliseconds(40))
            try await ScriptedModel.defaultStream(request, number, yield)
        }
        let cost = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration()).run(Fixtures.task()).cost
        #expect(cost.proposalSeconds >= 0.06)
        #expect(cost.aggregationSeconds >= 0.04)
        #expect(cost.totalSeconds >= cost.proposalSeconds + cost.aggregationSeconds)
    }

    @Test func reportsProgressInOrder() async throws {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(multipleSamples: false))
        let log = EventLog()
        _ = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration())
            .run(Fixtures.task(), onProgress: log.onProgress, onAnswer: log.onAnswer)
        let events = log.progress.map(\.event)
        #expect(events.count == 10)
        #expect(events.first == .planned(mode: .selfMoA, proposals: 6, steps: 1))
        let completed = events.compactMap { event -> Int? in
            if case .proposalDone(_, let completed, 6) = event { return completed } else { return nil }
        }
        #expect(completed == [1, 2, 3, 4, 5, 6])
        #expect(Array(events.suffix(3)) == [
            .aggregationStarted(step: 1, steps: 1), .aggregationDone(step: 1, steps: 1), .finished(aggregated: true),
        ])
        let fractions = log.progress.map(\.fraction)
        #expect(fractions == fractions.sorted())
        #expect(fractions.last == 1)
        #expect(log.progress[6].fraction == 6.0 / 7.0)
        #expect(log.progress[3].message == "proposal 3/6 done")
        #expect(log.progress[7].message == "aggregation step 1/1 started")
    }

    @Test func reportsSeqStepsInOrder() async throws {
        let model = ScriptedModel()
        let log = EventLog()
        _ = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration(proposals: 12, mode: .seq))
            .run(Fixtures.task(), onProgress: log.onProgress)
        let events = log.progress.map(\.event)
        #expect(events.first == .planned(mode: .seq, proposals: 12, steps: 3))
        let steps = events.compactMap { event -> String? in
            switch event {
            case .aggregationStarted(let step, 3): return "start \(step)"
            case .aggregationDone(let step, 3): return "done \(step)"
            default: return nil
            }
        }
        #expect(steps == ["start 1", "done 1", "start 2", "done 2", "start 3", "done 3"])
        let firstStart = try #require(events.firstIndex(of: .aggregationStarted(step: 1, steps: 3)))
        let sixthProposal = try #require(events.firstIndex { if case .proposalDone(_, 6, 12) = $0 { return true } else { return false } })
        #expect(sixthProposal < firstStart)
        #expect(events.last == .finished(aggregated: true))
        #expect(log.progress.map(\.fraction) == log.progress.map(\.fraction).sorted())
    }
}
