import ModelBackend
import Foundation
import Testing
@testable import SelfMoA

/// `streamDraft`: proposal 0 streamed as the draft, the other proposals requested after its
/// first token, the draft's text before the answer's, and the wait for the first text reported.
@Suite struct DraftStreamingTests {
    private func configuration(greedy: Bool) -> SelfMoAConfiguration {
        var configuration = Fixtures.configuration()
        configuration.proposals = 4
        configuration.greedyProposal = greedy
        configuration.streamDraft = true
        return configuration
    }

    /// Streams of the draft (the first stream) are slow: three deltas 50 ms apart.
    private func slowDraft(_ model: ScriptedModel) {
        model.onStream { request, number, yield in
            if number == 0 {
                for piece in ["draft ", "of the ", "answer"] {
                    try? await Task.sleep(for: .milliseconds(50))
                    yield(.delta(piece))
                }
            } else {
                yield(.delta("synthesis"))
            }
            yield(.finished(finishReason: "stop", usage: Usage(promptTokens: 200, prefilledTokens: 50, completionTokens: 20)))
        }
    }

    @Test(arguments: [true, false])
    func theDraftStreamsAloneFirstAndTheOthersFollowItsFirstToken(greedy: Bool) async throws {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(multipleSamples: true))
        slowDraft(model)
        let firstDraftText = Flag()
        let startedBeforeDraft = Flag()
        model.onComplete { request, _ in
            if !firstDraftText.isSet { startedBeforeDraft.set() }
            return ScriptedModel.samples(request.n, options: request.options)
        }
        let events = EventLog()
        let onAnswer = events.onAnswer
        let result = try await SelfMoAEngine(model: model, configuration: configuration(greedy: greedy)).run(
            Fixtures.task(), onAnswer: { event in
                if case .draft = event { firstDraftText.set() }
                onAnswer(event)
            })

        #expect(!startedBeforeDraft.isSet)
        let draft = try #require(model.streamRequests.first)
        #expect(draft.options.temperature == (greedy ? 0 : 0.7))
        #expect(draft.options.seed == 1000)
        let rest = try #require(model.completeRequests.first)
        #expect(model.completeRequests.count == 1)
        #expect(rest.n == 3)
        #expect(rest.options.seed == 1001)
        #expect(events.draft == "draft of the answer")
        // Every draft event comes before the answer's first.
        let firstDelta = try #require(events.answer.firstIndex { if case .delta = $0 { true } else { false } })
        #expect(!events.answer[firstDelta...].contains { if case .draft = $0 { true } else { false } })
        #expect(events.assembledAnswer == "synthesis")
        #expect(result.proposals.first?.text == "draft of the answer")
        #expect(result.proposals.count == 4)
        #expect(result.cost.forwardPasses == 5)
        let first = try #require(result.cost.firstTextSeconds)
        #expect(first > 0 && first <= result.cost.totalSeconds)
    }

    @Test func aDraftThatCannotStreamIsAskedForAsUsual() async throws {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(multipleSamples: true))
        model.onStream { (_, number, yield) throws(ModelBackendError) in
            if number == 0 { throw ModelBackendError(.badResponse, "this backend does not stream") }
            yield(.delta("synthesis"))
            yield(.finished(finishReason: "stop", usage: Usage()))
        }
        let events = EventLog()
        let result = try await SelfMoAEngine(model: model, configuration: configuration(greedy: true)).run(
            Fixtures.task(), onAnswer: events.onAnswer)
        #expect(result.failedProposals.isEmpty)
        #expect(result.proposals.count == 4)
        // The greedy proposal, asked for without streaming, besides the three sampled ones.
        #expect(model.completeRequests.map(\.n).sorted() == [1, 3])
        #expect(model.completeRequests.contains { $0.n == 1 && $0.options.temperature == 0 })
        #expect(result.text == "synthesis")
        #expect(events.draft.isEmpty)
    }

    @Test func aDraftThatFailsMidwayIsDroppedAndTheOthersStillRun() async throws {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(multipleSamples: true))
        model.onStream { (_, number, yield) throws(ModelBackendError) in
            if number == 0 {
                yield(.delta("half a dr"))
                throw ModelBackendError(.badResponse, "the stream broke")
            }
            yield(.delta("synthesis"))
            yield(.finished(finishReason: "stop", usage: Usage()))
        }
        let events = EventLog()
        let result = try await SelfMoAEngine(model: model, configuration: configuration(greedy: true)).run(
            Fixtures.task(), onAnswer: events.onAnswer)
        #expect(result.failedProposals.map(\.index) == [0])
        #expect(result.proposals.count == 3)
        #expect(result.text == "synthesis")
        #expect(events.draft == "half a dr")
        #expect(events.assembledAnswer == "synthesis")
    }

    @Test func withoutStreamDraftNothingIsDraftedAndProposalsStartTogether() async throws {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(multipleSamples: true))
        var configuration = configuration(greedy: false)
        configuration.streamDraft = false
        let events = EventLog()
        _ = try await SelfMoAEngine(model: model, configuration: configuration).run(Fixtures.task(), onAnswer: events.onAnswer)
        #expect(model.completeRequests.map(\.n) == [4])
        #expect(model.streamRequests.count == 1)
        #expect(events.draft.isEmpty)
    }

    @Test func aSingleAnswerHasNoDraftAndItsFirstTextIsTheAnswers() async throws {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(multipleSamples: true))
        var configuration = configuration(greedy: true)
        configuration.mode = .single
        let events = EventLog()
        let result = try await SelfMoAEngine(model: model, configuration: configuration).run(Fixtures.task(), onAnswer: events.onAnswer)
        #expect(events.draft.isEmpty)
        #expect(result.cost.firstTextSeconds != nil)
    }
}
