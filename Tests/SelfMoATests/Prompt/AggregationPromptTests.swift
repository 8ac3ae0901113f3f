import ModelBackend
import Testing
@testable import SelfMoA

@Suite struct AggregationPromptTests {
    private let prompt: [ChatMessage] = [.system("S"), .user("U")]

    @Test func prefixReuseAppendsOneUserMessage() {
        let messages = AggregationPrompt.messages(prompt: prompt, candidates: ["a", "b"], answerFormat: nil, prefixReuse: true)
        #expect(messages.count == 3)
        #expect(Array(messages.prefix(2)) == prompt)
        #expect(messages[2].content.hasPrefix("Candidate answers:\n\n<candidate 1>\na\n</candidate 1>\n\n<candidate 2>\nb\n</candidate 2>\n\n"))
    }

    @Test func classicLayoutExtendsTheSystemMessage() {
        let messages = AggregationPrompt.messages(prompt: prompt, candidates: ["a"], answerFormat: "F", prefixReuse: false)
        #expect(messages.count == 2)
        #expect(messages[1] == .user("U"))
        #expect(messages[0].content.hasPrefix("S\n\n"))
        #expect(messages[0].content.hasSuffix("<candidate 1>\na\n</candidate 1>"))
        #expect(messages[0].content.contains(" F\n\n"))
    }

    @Test func classicLayoutWithoutASystemMessageAddsOne() {
        let messages = AggregationPrompt.messages(prompt: [.user("U")], candidates: ["a"], answerFormat: nil, prefixReuse: false)
        #expect(messages.map(\.role) == [.system, .user])
    }
}
