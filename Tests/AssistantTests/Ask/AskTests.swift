import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

/// The ask action: the question checked, carried in every proposal's prompt and the synthesis's.
@Suite struct AskTests {
    @Test func aQuestionIsTrimmedAndMustHaveText() throws {
        #expect(try AskQuestion("  Why?\n").text == "Why?")
        for bad in [nil, "", "   \n\t"] as [String?] {
            #expect(throws: AskQuestion.Invalid.self) { try AskQuestion(bad) }
        }
        do {
            _ = try AskQuestion(nil)
        } catch {
            #expect(error.message.contains("question"))
        }
    }

    @Test func aQuestionOverTheLimitIsRefusedWithItsLength() throws {
        let longest = String(repeating: "a", count: AskQuestion.maximumCharacters)
        #expect(try AskQuestion(longest).text.count == AskQuestion.maximumCharacters)
        do {
            _ = try AskQuestion(longest + "b")
            Issue.record("an overlong question was accepted")
        } catch {
            #expect(error.message.contains("4001"))
            #expect(error.message.contains("4000"))
        }
    }

    @Test func everyProposalAndTheSynthesisSeeTheQuestionAndTheSelection() async throws {
        let model = ScriptedModel(proposals: ["Because `len` is 0."], synthesis: "It divides by zero.")
        let text = Samples.python
        let start = text.utf8.count / 3
        let input = ActionInput(fileName: "inventory.py", language: "python", text: text, selection: start..<start)
        let question = try AskQuestion("What happens for an empty list?")
        let events = PartialLog()
        let result = try await Assistant(model: model).ask(input, question: question, onPartial: events.onPartial)
        #expect(result.question == "What happens for an empty list?")
        #expect(result.markdown == "It divides by zero.")
        #expect(result.run.aggregated)
        let requests = model.completeRequests + model.streamRequests
        #expect(requests.count == 3)
        #expect(requests.allSatisfy { $0.messages.contains { $0.content.contains("What happens for an empty list?") } })
        #expect(requests.allSatisfy { $0.messages.first == .system(AskPrompt.system) })
        #expect(model.aggregationRequests.count == 1)
        #expect(model.aggregationRequests[0].messages.last?.content.hasSuffix(AskPrompt.answerFormat) == true)
        // The draft is the greedy proposal; the answer follows it.
        #expect(model.draftRequests.first?.options.temperature == 0)
        #expect(events.partials.first?.phase == .draft)
        #expect(events.partials.last == PartialAnswer(phase: .answer, markdown: "It divides by zero."))
    }
}
