import ModelBackend
import Testing
@testable import SelfMoA

/// Failed proposals are dropped; aggregation is retried once, then falls back.
@Suite struct DegradeTests {
    private func failing(seeds: Set<UInt32>, code: ModelBackendError.Code = .serverError) -> ScriptedModel {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(multipleSamples: false))
        model.onComplete { request, _ throws(ModelBackendError) in
            if let seed = request.options.seed, seeds.contains(seed) {
                throw ModelBackendError(code, "sample \(seed) failed")
            }
            return ScriptedModel.samples(1, options: request.options)
        }
        return model
    }

    @Test func dropsFailedProposalsAndAggregatesTheRest() async throws {
        let model = failing(seeds: [1001, 1003])
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration()).run(Fixtures.task())
        #expect(result.failedProposals.map(\.index) == [1, 3])
        #expect(result.failedProposals.allSatisfy { $0.error.code == .serverError })
        #expect(result.proposals.map(\.index) == [0, 2, 4, 5])
        let aggregation = try #require(model.streamRequests.first)
        #expect(candidates(of: aggregation) == result.proposals.map(\.text))
        #expect(result.aggregated)
        #expect(result.cost.forwardPasses == 5)
    }

    @Test func samplesMissingFromAnNRequestCountAsFailed() async throws {
        let model = ScriptedModel()
        model.onComplete { request, _ in
            ScriptedModel.samples(request.n, options: request.options, indices: [0, 2, 3, 4, 5])
        }
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration()).run(Fixtures.task())
        #expect(result.failedProposals.map(\.index) == [1])
        #expect(result.proposals.count == 5)
        #expect(candidates(of: try #require(model.streamRequests.first)).count == 5)
    }

    @Test func emptyProposalsAreDropped() async throws {
        let model = ScriptedModel()
        model.onComplete { request, _ in
            var samples = ScriptedModel.samples(request.n, options: request.options)
            samples[2].text = "  \n"
            return samples
        }
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration()).run(Fixtures.task())
        #expect(result.failedProposals.map(\.index) == [2])
        #expect(result.failedProposals.first?.error.code == .badResponse)
    }

    @Test func oneProposalLeftIsReturnedNotAggregated() async throws {
        let model = failing(seeds: [1000, 1001, 1002, 1004, 1005])
        let log = EventLog()
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration())
            .run(Fixtures.task(), onProgress: log.onProgress, onAnswer: log.onAnswer)
        #expect(result.text == ScriptedModel.proposalText(seed: 1003, model: nil))
        #expect(!result.aggregated)
        #expect(model.streamRequests.isEmpty)
        #expect(result.aggregationSteps == 0)
        #expect(result.cost.forwardPasses == 1)
        #expect(log.answer == [.delta(result.text)])
        #expect(log.progress.last?.event == .finished(aggregated: false))
    }

    @Test func noProposalLeftThrowsTheBackendsError() async throws {
        let model = failing(seeds: Set(1000...1005), code: .unreachable)
        let error = await #expect(throws: ModelBackendError.self) {
            _ = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration()).run(Fixtures.task())
        }
        #expect(error?.code == .unreachable)
        #expect(model.streamRequests.isEmpty)
    }

    @Test func aFailedAggregationIsRetriedOnce() async throws {
        let model = ScriptedModel()
        model.onStream { request, number, yield throws(ModelBackendError) in
            if number == 0 {
                yield(.delta("half an ans"))
                throw ModelBackendError(.serverError, "stream broke")
            }
            try await ScriptedModel.defaultStream(request, number, yield)
        }
        let log = EventLog()
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration())
            .run(Fixtures.task(), onProgress: log.onProgress, onAnswer: log.onAnswer)
        try #require(model.streamRequests.count == 2)
        #expect(model.streamRequests[0] == model.streamRequests[1])
        #expect(result.aggregated)
        #expect(result.text == "synthesis 1")
        #expect(result.aggregationFailure == nil)
        #expect(log.answer.first == .delta("half an ans"))
        #expect(log.answer.contains(.reset))
        #expect(log.assembledAnswer == "synthesis 1")
        #expect(log.progress.contains { $0.event == .aggregationFailed(step: 1, steps: 1, error: ModelBackendError(.serverError, ""), retrying: true) })
    }

    @Test func aggregationFailingTwiceFallsBackToTheFirstProposal() async throws {
        let model = ScriptedModel()
        model.onStream { _, _, yield throws(ModelBackendError) in
            yield(.delta("partial"))
            throw ModelBackendError(.timeout, "no end")
        }
        let log = EventLog()
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration())
            .run(Fixtures.task(), onProgress: log.onProgress, onAnswer: log.onAnswer)
        #expect(model.streamRequests.count == 2)
        #expect(!result.aggregated)
        #expect(result.text == ScriptedModel.proposalText(seed: 1000, model: nil))
        #expect(result.aggregationFailure?.code == .timeout)
        #expect(result.aggregationSteps == 0)
        #expect(result.cost.forwardPasses == 6)
        #expect(log.assembledAnswer == result.text)
        #expect(log.progress.last?.event == .finished(aggregated: false))
    }

    @Test func aSeqStepFailingTwiceKeepsTheLatestSynthesisAndStopsSampling() async throws {
        let model = ScriptedModel()
        model.onStream { request, number, yield throws(ModelBackendError) in
            if number >= 1 { throw ModelBackendError(.serverError, "down") }
            try await ScriptedModel.defaultStream(request, number, yield)
        }
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration(proposals: 12, mode: .seq))
            .run(Fixtures.task())
        #expect(result.text == "synthesis 0")
        #expect(result.aggregated)
        #expect(result.aggregationSteps == 1)
        #expect(result.aggregationFailure?.code == .serverError)
        #expect(model.streamRequests.count == 3)
    }
}
