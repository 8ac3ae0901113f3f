import ModelBackend
import Testing
@testable import SelfMoA

/// Request shapes of one-shot Self-MoA: the proposals, the aggregation, the two layouts.
@Suite struct SelfMoAEngineTests {
    @Test func samplesInOneRequestWithNWhenTheBackendPrefillsOnce() async throws {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(multipleSamples: true))
        let task = Fixtures.task()
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration()).run(task)

        let requests = model.completeRequests
        #expect(requests.count == 1)
        let request = try #require(requests.first)
        #expect(request.n == 6)
        #expect(request.options.temperature == 0.7)
        #expect(request.options.seed == 1000)
        #expect(request.options.maxTokens == 100)
        #expect(request.messages == task.messages)
        #expect(request.messages.map(\.role) == [.system, .user])
        #expect(request.messages[0].content == Fixtures.system)

        #expect(result.mode == .selfMoA)
        #expect(result.window == 6)
        #expect(result.reserved == 0)
        #expect(result.aggregated)
        #expect(result.text == "synthesis 0")
        #expect(result.proposals.map(\.seed) == (1000...1005).map { Optional($0) })
        #expect(Set(result.proposals.map(\.text)).count == 6)
    }

    @Test func samplesConcurrentlyWithDistinctSeedsOtherwise() async throws {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(multipleSamples: false))
        let allStarted = Flag()
        model.onComplete { request, _ in
            // Each call waits until all six are in flight: passes only if they run concurrently.
            if await eventually(timeout: .seconds(5), { model.completeRequests.count == 6 }) { allStarted.set() }
            return ScriptedModel.samples(1, options: request.options)
        }
        let task = Fixtures.task()
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration()).run(task)

        let requests = model.completeRequests
        #expect(requests.count == 6)
        #expect(requests.allSatisfy { $0.n == 1 && $0.options.temperature == 0.7 && $0.messages == task.messages })
        #expect(Set(requests.compactMap(\.options.seed)) == Set(1000...1005))
        #expect(allStarted.isSet)
        #expect(result.proposals.count == 6)
        #expect(result.aggregated)
    }

    @Test func aggregatorGetsNumberedDelimitedCandidatesAfterTheProposersExactMessages() async throws {
        let model = ScriptedModel()
        let task = Fixtures.task()
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration()).run(task)

        let streams = model.streamRequests
        #expect(streams.count == 1)
        let aggregation = try #require(streams.first)
        #expect(aggregation.options.temperature == 0)
        #expect(aggregation.options.maxTokens == 150)
        #expect(aggregation.options.model == nil)
        // Prefix reuse: the proposers' system + user messages first, unchanged.
        #expect(aggregation.messages.count == 3)
        #expect(Array(aggregation.messages.prefix(2)) == task.messages)
        #expect(aggregation.messages[2].role == .user)
        let last = aggregation.messages[2].content
        #expect(candidates(in: last) == result.proposals.map(\.text))
        #expect(last.contains("<candidate 1>\nproposal seed=1000 model=-\n</candidate 1>"))
        #expect(last.contains("<candidate 6>\nproposal seed=1005 model=-\n</candidate 6>"))
        // The instruction follows the candidates and asks for critical synthesis, not copying.
        let instruction = AggregationPrompt.instruction(answerFormat: nil)
        #expect(last.hasSuffix(instruction))
        #expect(instruction.contains("wrong") && instruction.contains("biased"))
        #expect(instruction.contains("rather than copying"))
    }

    @Test func theConsensusStyleAsksToKeepTheAgreedAnswer() async throws {
        let model = ScriptedModel()
        var configuration = Fixtures.configuration()
        configuration.aggregation = .consensus
        _ = try await SelfMoAEngine(model: model, configuration: configuration).run(Fixtures.task())
        let last = try #require(model.streamRequests.first?.messages.last?.content)
        let instruction = AggregationPrompt.instruction(answerFormat: nil, style: .consensus)
        #expect(last.hasSuffix(instruction))
        #expect(instruction.contains("most candidates agree") && instruction.contains("repeat the best candidate unchanged"))
        #expect(instruction != AggregationPrompt.instruction(answerFormat: nil))
    }

    @Test func classicLayoutPutsCandidatesInTheSystemPrompt() async throws {
        let model = ScriptedModel()
        let task = Fixtures.task()
        var configuration = Fixtures.configuration()
        configuration.prefixReuse = false
        let result = try await SelfMoAEngine(model: model, configuration: configuration).run(task)

        let aggregation = try #require(model.streamRequests.first)
        #expect(aggregation.messages.map(\.role) == [.system, .user])
        #expect(aggregation.messages[0].content.hasPrefix(Fixtures.system + "\n\n"))
        #expect(candidates(in: aggregation.messages[0].content) == result.proposals.map(\.text))
        #expect(aggregation.messages[1] == task.messages[1])
        #expect(aggregation.messages[0] != task.messages[0])
    }

    @Test func answerFormatEndsTheAggregationInstruction() async throws {
        let model = ScriptedModel()
        let task = Fixtures.task(answerFormat: "Reply with only the code to insert.")
        _ = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration()).run(task)
        let aggregation = try #require(model.streamRequests.first)
        #expect(aggregation.messages[2].content.hasSuffix("Reply with only the code to insert."))
    }

    @Test func streamsTheAggregatorsDeltasToTheCallback() async throws {
        let model = ScriptedModel()
        let log = EventLog()
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration())
            .run(Fixtures.task(), onProgress: log.onProgress, onAnswer: log.onAnswer)
        #expect(log.answer == [.delta("synth"), .delta("esis "), .delta("0")])
        #expect(log.assembledAnswer == result.text)
    }

    @Test func drawsAFreshSeedBaseWhenNoneIsConfigured() async throws {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(multipleSamples: false))
        _ = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration(seed: nil)).run(Fixtures.task())
        let seeds = model.completeRequests.compactMap(\.options.seed)
        #expect(seeds.count == 6)
        #expect(Set(seeds).count == 6)
    }

    @Test func singleModeStreamsOneGreedyAnswer() async throws {
        let model = ScriptedModel()
        let log = EventLog()
        let task = Fixtures.task()
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration(mode: .single))
            .run(task, onProgress: log.onProgress, onAnswer: log.onAnswer)
        #expect(model.completeRequests.isEmpty)
        let request = try #require(model.streamRequests.first)
        #expect(model.streamRequests.count == 1)
        #expect(request.messages == task.messages)
        #expect(request.options.temperature == 0)
        #expect(result.mode == .single)
        #expect(!result.aggregated)
        #expect(result.text == "synthesis 0")
        #expect(result.cost.forwardPasses == 1)
        #expect(log.assembledAnswer == "synthesis 0")
    }

    @Test func rejectsAnInvalidConfigurationBeforeCallingTheModel() async throws {
        let model = ScriptedModel()
        let error = await #expect(throws: SelfMoAError.self) {
            _ = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration(proposals: 0))
                .run(Fixtures.task())
        }
        #expect(error?.code == .invalidConfiguration)
        #expect(model.calls.isEmpty)
    }
}

/// A flag set from any task.
final class Flag: @unchecked Sendable {
    private let lock = NSLockShim()
    private var value = false
    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
