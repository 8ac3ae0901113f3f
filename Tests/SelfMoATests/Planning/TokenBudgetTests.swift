import ModelBackend
import Testing
@testable import SelfMoA

/// The budget: the exact one-shot/Seq boundary, the largest fitting window, rounds.
@Suite struct TokenBudgetTests {
    // prompt 1000, scaffold 100, 10 per candidate; proposals 100 tokens, answer 150, N 6.
    let counts = TokenCounts(prompt: 1000, scaffold: 100, perCandidate: 10)
    let configuration = Fixtures.configuration()

    @Test func oneShotNeedsContextPlusAllProposalsPlusTheAnswer() {
        #expect(TokenBudget.required(.selfMoA(proposals: 6), counts, configuration: configuration)
            == 1000 + 100 + 6 * (100 + 10) + 150)
    }

    @Test func switchesToSeqOneTokenOverTheBoundary() {
        #expect(TokenBudget.choose(counts, contextTokens: 1910, configuration: configuration) == .selfMoA(proposals: 6))
        #expect(TokenBudget.choose(counts, contextTokens: 1909, configuration: configuration)?.mode == .seq)
    }

    @Test func picksTheLargestWindowThatFits() {
        // W 5, R 2: first step 1000+100+5×110+150 = 1800; later 1000+100+3×110+2×160+150 = 1900.
        #expect(TokenBudget.choose(counts, contextTokens: 1909, configuration: configuration) == .seq(window: 5, reserved: 2))
        #expect(TokenBudget.choose(counts, contextTokens: 1900, configuration: configuration) == .seq(window: 5, reserved: 2))
        // W 4, R 2: later step 1000+100+2×110+2×160+150 = 1790.
        #expect(TokenBudget.choose(counts, contextTokens: 1899, configuration: configuration) == .seq(window: 4, reserved: 2))
        // W 3, R 1 (the smallest): later step 1000+100+2×110+160+150 = 1630.
        #expect(TokenBudget.choose(counts, contextTokens: 1630, configuration: configuration) == .seq(window: 3, reserved: 1))
        #expect(TokenBudget.choose(counts, contextTokens: 1629, configuration: configuration) == nil)
    }

    @Test func explicitConfigurationOverridesTheChoice() {
        var configuration = configuration
        configuration.seq = SeqConfiguration(window: 4, reserved: 1)
        #expect(TokenBudget.choose(counts, contextTokens: 1909, configuration: configuration) == .seq(window: 4, reserved: 1))
        // Everything fits: auto still runs one-shot.
        #expect(TokenBudget.choose(counts, contextTokens: 100_000, configuration: configuration) == .selfMoA(proposals: 6))
        configuration.mode = .seq
        #expect(TokenBudget.choose(counts, contextTokens: 100_000, configuration: configuration) == .seq(window: 4, reserved: 1))
        configuration.mode = .selfMoA
        #expect(TokenBudget.choose(counts, contextTokens: 1909, configuration: configuration) == nil)
        configuration.mode = .single
        #expect(TokenBudget.choose(counts, contextTokens: 1150, configuration: configuration) == .single)
        #expect(TokenBudget.choose(counts, contextTokens: 1149, configuration: configuration) == nil)
    }

    /// Answering with the central proposal aggregates nothing: the largest call is one proposal,
    /// so all 6 run one-shot where the aggregation of 6 would not fit.
    @Test func aCentralAnswerNeedsRoomForOneProposalOnly() {
        var configuration = configuration
        configuration.answer = .central
        #expect(TokenBudget.required(.selfMoA(proposals: 6), counts, configuration: configuration) == 1000 + 100)
        #expect(TokenBudget.choose(counts, contextTokens: 1100, configuration: configuration) == .selfMoA(proposals: 6))
        #expect(TokenBudget.choose(counts, contextTokens: 1099, configuration: configuration) == nil)
        #expect(TokenBudget.smallest(configuration) == .selfMoA(proposals: 6))
        // A single sample still needs room for its answer.
        #expect(TokenBudget.required(.single, counts, configuration: configuration) == 1000 + 150)
    }

    @Test func seqModeDefaultsToThePapersWindow() {
        var configuration = configuration
        configuration.mode = .seq
        #expect(TokenBudget.choose(counts, contextTokens: 100_000, configuration: configuration) == .seq(window: 6, reserved: 3))
    }

    @Test func roundsFeedOneStepEach() {
        #expect(AggregationShape.seq(window: 6, reserved: 3).rounds(proposals: 12) == [0..<6, 6..<9, 9..<12])
        #expect(AggregationShape.seq(window: 6, reserved: 3).rounds(proposals: 10) == [0..<6, 6..<9, 9..<10])
        #expect(AggregationShape.seq(window: 6, reserved: 3).rounds(proposals: 4) == [0..<4])
        #expect(AggregationShape.seq(window: 3, reserved: 1).rounds(proposals: 7) == [0..<3, 3..<5, 5..<7])
        #expect(AggregationShape.selfMoA(proposals: 6).rounds(proposals: 6) == [0..<6])
        #expect(AggregationShape.single.rounds(proposals: 6) == [])
    }
}

/// The same boundary through the engine, with a tokenizer counting one token per byte.
@Suite struct AutoModeTests {
    /// What the aggregator needs for one-shot Self-MoA of `task`, computed from the formula.
    private func oneShotTokens(_ task: SelfMoATask, _ configuration: SelfMoAConfiguration) -> Int {
        let overhead = TokenBudget.messageOverhead
        let prompt = (task.system + "\n\n" + task.messages[1].content).utf8.count + 2 * overhead
        let scaffold = AggregationPrompt.scaffold(answerFormat: task.answerFormat).utf8.count + overhead
        let perCandidate = AggregationPrompt.candidateOverhead(largestNumber: configuration.proposals).utf8.count
        return prompt + scaffold + configuration.proposals * (configuration.proposalMaxTokens + perCandidate)
            + configuration.answerMaxTokens
    }

    private func run(contextTokens: Int) async throws -> (SelfMoAResult, ScriptedModel) {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(contextTokens: contextTokens))
        model.onCountTokens { $0.utf8.count }
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration()).run(Fixtures.task())
        return (result, model)
    }

    @Test func runsOneShotExactlyAtTheBoundary() async throws {
        let needed = oneShotTokens(Fixtures.task(), Fixtures.configuration())
        let (result, model) = try await run(contextTokens: needed)
        #expect(result.mode == .selfMoA)
        #expect(result.plan.requiredTokens == needed)
        #expect(model.streamRequests.count == 1)
        #expect(!result.plan.trimmed)
    }

    @Test func runsSeqOneTokenUnderTheBoundary() async throws {
        let needed = oneShotTokens(Fixtures.task(), Fixtures.configuration())
        let (result, model) = try await run(contextTokens: needed - 1)
        #expect(result.mode == .seq)
        #expect(result.window == 5)
        #expect(result.reserved == 2)
        #expect(result.plan.requiredTokens <= needed - 1)
        #expect(model.streamRequests.count == 2)
        #expect(!result.plan.trimmed)
    }

    @Test func planReportsWithoutSampling() async throws {
        let needed = oneShotTokens(Fixtures.task(), Fixtures.configuration())
        let model = ScriptedModel(capabilities: Fixtures.capabilities(contextTokens: needed - 1))
        model.onCountTokens { $0.utf8.count }
        let plan = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration()).plan(Fixtures.task())
        #expect(plan.mode == .seq)
        #expect(plan.rounds == [0..<5, 5..<6])
        #expect(plan.forwardPasses == 8)
        #expect(model.completeRequests.isEmpty && model.streamRequests.isEmpty)
    }
}
