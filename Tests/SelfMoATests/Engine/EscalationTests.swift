import Foundation
import ModelBackend
import Testing
@testable import SelfMoA

/// `escalate`: the greedy proposal is checked alone first, and the others are sampled only when
/// it fails a check; after escalating, it still answers unless a sample passed more checks.
@Suite struct EscalationTests {
    private func model(_ texts: [String]) -> ScriptedModel { ScriptedModel.answering(bySeed: texts) }

    /// Level = number of "ok" marks; a failure unless the text has three of them.
    private func checker() -> TextChecker {
        TextChecker { text in
            let level = text.components(separatedBy: "ok").count - 1
            return CandidateCheck(level: level, failure: level >= 3 ? nil : "\(3 - level) examples failed")
        }
    }

    private func configuration(answer: AnswerSource = .central) -> SelfMoAConfiguration {
        var configuration = Fixtures.configuration(proposals: 4)
        configuration.greedyProposal = true
        configuration.escalate = true
        configuration.answer = answer
        return configuration
    }

    @Test func greedyThatPassesEveryCheckAnswersAlone() async throws {
        let model = model(["ok ok ok", "ok", "ok ok", "x"])
        let checker = checker()
        let result = try await SelfMoAEngine(model: model, configuration: configuration(), checker: checker).run(Fixtures.task())
        #expect(result.text == "ok ok ok")
        #expect(model.completeRequests.count == 1)
        #expect(model.completeRequests[0].options.temperature == 0)
        #expect(model.streamRequests.isEmpty)
        #expect(result.proposals.map(\.index) == [0])
        #expect(result.cost.forwardPasses == 1)
        #expect(result.selection.passedAlone)
        #expect(!result.selection.escalated)
        #expect(checker.checked == ["ok ok ok"])
    }

    @Test func failingGreedySamplesTheRestAndTheBestChecked() async throws {
        let model = model(["ok", "ok ok x", "ok ok ok y", "ok ok ok z"])
        let checker = checker()
        let result = try await SelfMoAEngine(model: model, configuration: configuration(), checker: checker).run(Fixtures.task())
        #expect(model.completeRequests.count == 2)
        let sampled = try #require(model.completeRequests.first { $0.n == 3 })
        #expect(sampled.options.temperature == 0.7)
        #expect(sampled.options.seed == 1001)
        #expect(result.proposals.map(\.index) == [0, 1, 2, 3])
        #expect(["ok ok ok y", "ok ok ok z"].contains(result.text))
        #expect(result.selection.escalated)
        #expect(!result.selection.passedAlone)
        #expect(result.selection.kept == [2, 3])
        // The greedy proposal is checked once.
        #expect(checker.checked.filter { $0 == "ok" }.count == 1)
    }

    @Test func greedyStillAnswersWhenNoSampleBeatsIt() async throws {
        // Samples 1 and 2 agree and tie the greedy one on the checks: greedy answers all the same.
        let model = model(["ok ok", "ok ok b", "ok ok b", "ok"])
        let result = try await SelfMoAEngine(model: model, configuration: configuration(), checker: checker()).run(Fixtures.task())
        #expect(result.text == "ok ok")
        #expect(result.selection.escalated)
        #expect(result.cost.forwardPasses == 4)
    }

    @Test func offSamplesEveryProposalAtOnce() async throws {
        var configuration = configuration()
        configuration.escalate = false
        let model = model(["ok ok ok", "ok", "ok ok", "x"])
        let result = try await SelfMoAEngine(model: model, configuration: configuration, checker: checker()).run(Fixtures.task())
        #expect(result.proposals.count == 4)
        #expect(!result.selection.passedAlone)
    }

    @Test func withoutAChecker_noEscalation() async throws {
        let model = model(["a", "b", "b", "c"])
        let result = try await SelfMoAEngine(model: model, configuration: configuration()).run(Fixtures.task())
        #expect(result.proposals.count == 4)
        #expect(!result.selection.escalated)
    }

    @Test func configurationDecodesEscalate() throws {
        let decoded = try JSONDecoder().decode(SelfMoAConfiguration.self, from: Data(#"{"escalate": true}"#.utf8))
        #expect(decoded.escalate)
        #expect(!SelfMoAConfiguration().escalate)
    }
}
