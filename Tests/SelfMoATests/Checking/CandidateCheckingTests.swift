import ModelBackend
import Foundation
import Testing
@testable import SelfMoA

/// A checker that judges candidates by their text and records what it saw.
/// A checker that ranks a cut-off candidate below finished ones and records what it was told.
final class CutAwareChecker: CandidateChecker, @unchecked Sendable {
    private let lock = NSLock()
    private var _cutOff: [String: Bool] = [:]
    var cutOff: [String: Bool] { lock.lock(); defer { lock.unlock() }; return _cutOff }

    func check(_ candidate: String) async -> CandidateCheck { CandidateCheck(level: 2) }

    func check(_ candidate: String, cutOff: Bool) async -> CandidateCheck {
        lock.withLock { _cutOff[candidate] = cutOff }
        return cutOff ? CandidateCheck(level: 1, failure: "cut off") : CandidateCheck(level: 2)
    }
}

final class TextChecker: CandidateChecker, @unchecked Sendable {
    private let lock = NSLock()
    private var _checked: [String] = []
    private let judge: @Sendable (String) -> CandidateCheck

    init(_ judge: @escaping @Sendable (String) -> CandidateCheck) {
        self.judge = judge
    }

    var checked: [String] { lock.lock(); defer { lock.unlock() }; return _checked }

    private func record(_ candidate: String) {
        lock.lock()
        _checked.append(candidate)
        lock.unlock()
    }

    func check(_ candidate: String) async -> CandidateCheck {
        record(candidate)
        return judge(candidate)
    }
}

/// The greedy proposal, candidate checks before aggregation, agreement, and the check on the
/// synthesis, through the engine over a scripted model.
@Suite struct CandidateCheckingTests {
    private func model(_ texts: [String]) -> ScriptedModel { ScriptedModel.answering(bySeed: texts) }

    @Test func greedyProposalIsItsOwnRequestAtTemperatureZero() async throws {
        let model = ScriptedModel()
        var configuration = Fixtures.configuration(proposals: 4)
        configuration.greedyProposal = true
        let result = try await SelfMoAEngine(model: model, configuration: configuration).run(Fixtures.task())

        let requests = model.completeRequests.sorted { $0.n < $1.n }
        #expect(requests.count == 2)
        #expect(requests[0].n == 1)
        #expect(requests[0].options.temperature == 0)
        #expect(requests[0].options.seed == 1000)
        #expect(requests[1].n == 3)
        #expect(requests[1].options.temperature == 0.7)
        #expect(requests[1].options.seed == 1001)
        #expect(result.proposals.map(\.index) == [0, 1, 2, 3])
        #expect(result.proposals.map(\.seed) == [1000, 1001, 1002, 1003])
        #expect(candidates(of: try #require(model.streamRequests.first)).count == 4)
    }

    @Test func greedyProposalWithoutBatchingAndOff() async throws {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(multipleSamples: false))
        var configuration = Fixtures.configuration(proposals: 3)
        configuration.greedyProposal = true
        _ = try await SelfMoAEngine(model: model, configuration: configuration).run(Fixtures.task())
        #expect(model.completeRequests.map(\.options.temperature).sorted() == [0, 0.7, 0.7])

        let plain = ScriptedModel()
        _ = try await SelfMoAEngine(model: plain, configuration: Fixtures.configuration(proposals: 3)).run(Fixtures.task())
        #expect(plain.completeRequests.map(\.options.temperature) == [0.7])
    }

    @Test func proposalsFailingACheckOthersPassAreNotAggregated() async throws {
        let model = model(["good one", "broken", "good two", "broken too"])
        let checker = TextChecker { text in
            text.hasPrefix("broken") ? CandidateCheck(level: 1, failure: "does not parse") : CandidateCheck(level: 2)
        }
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration(proposals: 4), checker: checker)
            .run(Fixtures.task())

        let aggregation = try #require(model.streamRequests.first)
        #expect(candidates(of: aggregation) == ["good one", "good two"])
        #expect(result.proposals.count == 4)
        #expect(result.selection.rejected == [1, 3])
        #expect(result.selection.kept == [0, 2])
        #expect(result.selection.entries[1].check?.failure == "does not parse")
        // The synthesis was checked too, and passed.
        #expect(checker.checked.contains("synthesis 0"))
        #expect(result.selection.synthesisCheck?.level == 2)
        #expect(result.aggregated)
        #expect(result.text == "synthesis 0")
    }

    @Test func aLoneSurvivorIsTheAnswerWithoutAggregation() async throws {
        let model = model(["broken", "fine", "broken", "broken"])
        let checker = TextChecker { CandidateCheck(level: $0 == "fine" ? 2 : 1) }
        let events = EventLog()
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration(proposals: 4), checker: checker)
            .run(Fixtures.task(), onAnswer: events.onAnswer)
        #expect(model.streamRequests.isEmpty)
        #expect(result.text == "fine")
        #expect(!result.aggregated)
        #expect(events.assembledAnswer == "fine")
    }

    @Test func aMajorityDecidesWithoutAggregation() async throws {
        let model = model(["x = 2", "x = 1", "x  =  1", "x = 1 "])
        var configuration = Fixtures.configuration(proposals: 4)
        configuration.agreement = true
        let events = EventLog()
        let result = try await SelfMoAEngine(model: model, configuration: configuration)
            .run(Fixtures.task(), onProgress: events.onProgress, onAnswer: events.onAnswer)

        #expect(model.streamRequests.isEmpty)
        #expect(result.text == "x = 1")
        #expect(!result.aggregated)
        #expect(result.selection.decidedByAgreement)
        #expect(result.selection.largestAgreement == 3)
        #expect(result.cost.forwardPasses == 4)
        #expect(events.assembledAnswer == "x = 1")
        #expect(events.progress.last?.event == .finished(aggregated: false))
    }

    @Test func theCentralProposalAnswersWithoutAggregation() async throws {
        let model = model(["y = [1]", "x = f(1, 2)", "x = f(1, 3)", "x = g(1, 3)"])
        var configuration = Fixtures.configuration(proposals: 4)
        configuration.answer = .central
        let events = EventLog()
        let result = try await SelfMoAEngine(model: model, configuration: configuration)
            .run(Fixtures.task(), onProgress: events.onProgress, onAnswer: events.onAnswer)

        #expect(model.streamRequests.isEmpty)
        #expect(result.text == "x = f(1, 3)")
        #expect(!result.aggregated)
        #expect(result.selection.decidedByCentrality)
        #expect(!result.selection.decidedByAgreement)
        #expect(result.aggregationSteps == 0)
        #expect(result.cost.forwardPasses == 4)
        #expect(events.assembledAnswer == "x = f(1, 3)")
    }

    @Test func agreementStillAnswersFirstAndSeqIsNotAggregatedEither() async throws {
        var configuration = Fixtures.configuration(proposals: 4)
        configuration.answer = .central
        configuration.agreement = true
        let agreeing = model(["x = 2", "x = 1", "x = 1", "x = 1"])
        let result = try await SelfMoAEngine(model: agreeing, configuration: configuration).run(Fixtures.task())
        #expect(result.selection.decidedByAgreement)
        #expect(!result.selection.decidedByCentrality)

        let seq = model(["a b c", "a b d", "a x d", "q r s", "a b d e", "z"])
        var seqConfiguration = Fixtures.configuration(proposals: 6, mode: .seq, window: 3, reserved: 1)
        seqConfiguration.answer = .central
        let seqResult = try await SelfMoAEngine(model: seq, configuration: seqConfiguration).run(Fixtures.task())
        #expect(seq.streamRequests.isEmpty)
        #expect(seqResult.text == "a b d")
        #expect(seqResult.selection.decidedByCentrality)
    }

    @Test func agreementIsMeasuredButDoesNotDecideWhenOff() async throws {
        let model = model(["x = 2", "x = 1", "x = 1", "x = 1"])
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration(proposals: 4))
            .run(Fixtures.task())
        #expect(model.streamRequests.count == 1)
        #expect(result.aggregated)
        #expect(result.selection.largestAgreement == 3)
        #expect(!result.selection.decidedByAgreement)
    }

    @Test func noMajorityMeansAggregation() async throws {
        let model = model(["a", "a", "b", "c"])
        var configuration = Fixtures.configuration(proposals: 4)
        configuration.agreement = true
        let result = try await SelfMoAEngine(model: model, configuration: configuration).run(Fixtures.task())
        #expect(model.streamRequests.count == 1)
        #expect(result.aggregated)
        #expect(result.selection.largestAgreement == 2)
    }

    @Test func aSynthesisFailingItsCheckFallsBackToTheBestProposal() async throws {
        let model = model(["p0", "p1", "p1", "p3"])
        let checker = TextChecker { $0.hasPrefix("synthesis") ? CandidateCheck(level: 1, failure: "does not parse") : CandidateCheck(level: 2) }
        let events = EventLog()
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration(proposals: 4), checker: checker)
            .run(Fixtures.task(), onAnswer: events.onAnswer)

        #expect(model.streamRequests.count == 1)
        // The largest agreeing group's first proposal stands in.
        #expect(result.text == "p1")
        #expect(!result.aggregated)
        #expect(result.aggregationSteps == 1)
        #expect(result.selection.synthesisRejected)
        #expect(result.selection.synthesisCheck?.failure == "does not parse")
        // The streamed synthesis is retracted.
        #expect(events.answer.contains(.reset))
        #expect(events.assembledAnswer == "p1")
    }

    @Test func theCheckerLearnsWhichCandidatesTheTokenLimitCutOff() async throws {
        let model = ScriptedModel()
        model.onComplete { request, _ in
            (0..<request.n).map { Completion(index: $0, text: "p\($0)", finishReason: $0 == 1 ? "length" : "stop") }
        }
        model.onStream { _, _, yield in
            yield(.delta("synthesis"))
            yield(.finished(finishReason: "length", usage: Usage(completionTokens: 256)))
        }
        let checker = CutAwareChecker()
        let engine = SelfMoAEngine(model: model, configuration: Fixtures.configuration(proposals: 3), checker: checker)
        let result = try await engine.run(Fixtures.task())
        #expect(checker.cutOff == ["p0": false, "p1": true, "p2": false, "synthesis": true])
        // Cut off where it matters, the synthesis ranks below the finished proposals.
        #expect(result.text == "p0")
        #expect(result.selection.synthesisRejected)
        #expect(result.selection.rejected == [1])

        // A synthesis that stopped by itself stands.
        model.onStream { _, _, yield in
            yield(.delta("synthesis"))
            yield(.finished(finishReason: "stop", usage: Usage(completionTokens: 20)))
        }
        let finished = try await engine.run(Fixtures.task())
        #expect(finished.text == "synthesis")
        #expect(!finished.selection.synthesisRejected)
    }

    @Test func theCheckersNotesAreCollectedOnce() async throws {
        let model = model(["a", "b"])
        let checker = TextChecker { _ in CandidateCheck(level: 1, notes: ["no syntax checker for cobol"]) }
        let result = try await SelfMoAEngine(model: model, configuration: Fixtures.configuration(proposals: 2), checker: checker)
            .run(Fixtures.task())
        #expect(result.selection.notes == ["no syntax checker for cobol"])
        #expect(result.selection.rejected.isEmpty)
    }

    @Test func configurationDecodesTheNewKeys() throws {
        let decoded = try JSONDecoder().decode(
            SelfMoAConfiguration.self, from: Data(#"{"greedyProposal": true, "agreement": true}"#.utf8)
        )
        #expect(decoded.greedyProposal)
        #expect(decoded.agreement)
        let defaults = try JSONDecoder().decode(SelfMoAConfiguration.self, from: Data("{}".utf8))
        #expect(!defaults.greedyProposal)
        #expect(!defaults.agreement)
    }
}
