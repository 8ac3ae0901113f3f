import ModelBackend
import Testing
@testable import SelfMoA

/// Self-MoA-Seq: windows, each proposal aggregated once, pipelining.
@Suite struct SeqTests {
    private func proposal(_ seed: UInt32) -> String { ScriptedModel.proposalText(seed: seed, model: nil) }

    @Test func twelveProposalsInWindowsOfSixWithThreeSynthesisCopies() async throws {
        let model = ScriptedModel()
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration(proposals: 12, mode: .seq))
            .run(Fixtures.task())

        // Sampling rounds: the first window, then 3 new proposals per step.
        #expect(model.completeRequests.map(\.n) == [6, 3, 3])
        #expect(model.completeRequests.map(\.options.seed) == [1000, 1006, 1009])

        let windows = model.streamRequests.map { candidates(of: $0) }
        #expect(windows.count == 3)
        #expect(windows[0] == (1000...1005).map(proposal))
        #expect(windows[1] == Array(repeating: "synthesis 0", count: 3) + (1006...1008).map(proposal))
        #expect(windows[2] == Array(repeating: "synthesis 1", count: 3) + (1009...1011).map(proposal))

        // Every proposal aggregated exactly once.
        let aggregated = windows.flatMap { $0 }.filter { $0.hasPrefix("proposal") }
        #expect(aggregated.sorted() == result.proposals.map(\.text).sorted())
        #expect(Set(aggregated).count == 12)

        // Every step's prompt starts with the proposers' messages.
        #expect(model.streamRequests.allSatisfy { Array($0.messages.prefix(2)) == Fixtures.task().messages })

        #expect(result.mode == .seq)
        #expect(result.window == 6)
        #expect(result.reserved == 3)
        #expect(result.aggregationSteps == 3)
        #expect(result.text == "synthesis 2")
        #expect(result.cost.forwardPasses == 15)
    }

    @Test func concurrentPathSamplesRoundByRoundWithSeedsPerProposal() async throws {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(multipleSamples: false))
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration(proposals: 12, mode: .seq))
            .run(Fixtures.task())
        let seeds = model.completeRequests.compactMap(\.options.seed)
        #expect(model.completeRequests.allSatisfy { $0.n == 1 })
        #expect(seeds.count == 12)
        #expect(Set(seeds) == Set(1000...1011))
        // Rounds are sampled in order: the first window's proposals are requested first.
        #expect(Set(seeds.prefix(6)) == Set(1000...1005))
        #expect(Set(seeds.suffix(3)) == Set(1009...1011))
        #expect(result.aggregationSteps == 3)
    }

    @Test func aggregationOfAStepOverlapsSamplingOfLaterProposals() async throws {
        let model = ScriptedModel()
        let overlapped = Flag()
        model.onComplete { request, number in
            if number == 1, await eventually({ !model.streamRequests.isEmpty }) { overlapped.set() }
            return ScriptedModel.samples(request.n, options: request.options)
        }
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration(proposals: 12, mode: .seq))
            .run(Fixtures.task())
        #expect(overlapped.isSet, "step 1 should start before the second round of proposals arrives")
        #expect(result.aggregationSteps == 3)
    }

    @Test func onlyTheLastStepIsStreamedToTheCaller() async throws {
        let model = ScriptedModel()
        let log = EventLog()
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration(proposals: 12, mode: .seq))
            .run(Fixtures.task(), onProgress: log.onProgress, onAnswer: log.onAnswer)
        #expect(log.answer == [.delta("synth"), .delta("esis "), .delta("2")])
        #expect(log.assembledAnswer == result.text)
    }

    @Test func aLastRoundThatFailsEntirelyLeavesThePreviousSynthesis() async throws {
        let model = ScriptedModel()
        model.onComplete { request, number throws(ModelBackendError) in
            if number == 2 { throw ModelBackendError(.serverError, "boom") }
            return ScriptedModel.samples(request.n, options: request.options)
        }
        let log = EventLog()
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration(proposals: 12, mode: .seq))
            .run(Fixtures.task(), onProgress: log.onProgress, onAnswer: log.onAnswer)
        #expect(result.text == "synthesis 1")
        #expect(result.aggregated)
        #expect(result.aggregationSteps == 2)
        #expect(result.failedProposals.map(\.index) == [9, 10, 11])
        // Not streamed live (step 2 was not known to be last), so delivered whole at the end.
        #expect(log.assembledAnswer == "synthesis 1")
    }

    @Test func aLoneFirstProposalWaitsForTheNextRound() async throws {
        let model = ScriptedModel()
        model.onComplete { request, number in
            // Round 0 yields only sample 0.
            ScriptedModel.samples(request.n, options: request.options, indices: number == 0 ? [0] : nil)
        }
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration(proposals: 12, mode: .seq))
            .run(Fixtures.task())
        let windows = model.streamRequests.map { candidates(of: $0) }
        #expect(windows.count == 2)
        #expect(windows[0] == [proposal(1000)] + (1006...1008).map(proposal))
        #expect(windows[1] == Array(repeating: "synthesis 0", count: 3) + (1009...1011).map(proposal))
        #expect(result.failedProposals.map(\.index) == [1, 2, 3, 4, 5])
        #expect(result.aggregated)
    }
}
