import JSON
import Testing
@testable import LanguageServer

/// Configuration keys reach the actions' settings.
@Suite struct ServerSettingsTests {
    @Test func candidateChoiceKeysArePerAction() throws {
        var settings = ServerSettings()
        try settings.merge(.object([
            "complete": .object([
                "greedyProposal": .bool(true), "agreement": .bool(true), "checkSyntax": .bool(true), "runExamples": .bool(true),
            ]),
        ]))
        #expect(settings.assistant.complete.greedyProposal == true)
        #expect(settings.assistant.complete.checkSyntax == true)
        #expect(settings.assistant.complete.runExamples == true)
        #expect(settings.assistant.configuration(for: .complete).agreement)
        #expect(settings.assistant.completion.runExamples == false)

        try settings.merge(.object(["complete": .object(["runExamples": .bool(false)])]))
        #expect(settings.assistant.complete.runExamples == false)
        #expect(settings.assistant.complete.checkSyntax == true)
    }

    @Test func theAnswerSourceIsPerActionAndCheckedByName() throws {
        var settings = ServerSettings()
        #expect(settings.assistant.configuration(for: .complete).answer == .central)
        #expect(settings.assistant.configuration(for: .explain).answer == .synthesis)
        try settings.merge(.object(["complete": .object(["answer": .string("synthesis")]), "review": .object(["answer": .string("central")])]))
        #expect(settings.assistant.configuration(for: .complete).answer == .synthesis)
        #expect(settings.assistant.configuration(for: .review).answer == .central)
        #expect(throws: SettingsError.self) {
            try settings.merge(.object(["complete": .object(["answer": .string("vote")])]))
        }
    }

    @Test func threadsReachTheEmbeddedServerAndNullRestoresTheDefault() throws {
        var settings = ServerSettings()
        #expect(settings.backend.embedded.threads == nil)
        try settings.merge(.object(["backend": .object(["threads": .int(3)])]))
        #expect(settings.backend.embedded.threads == 3)
        try settings.merge(.object(["backend": .object(["url": .string("http://127.0.0.1:1")])]))
        #expect(settings.backend.embedded.threads == 3)
        try settings.merge(.object(["backend": .object(["threads": .null])]))
        #expect(settings.backend.embedded.threads == nil)
        #expect(throws: SettingsError.self) {
            try settings.merge(.object(["backend": .object(["threads": .int(0)])]))
        }
    }

    @Test func aWrongTypeNamesTheKey() {
        var settings = ServerSettings()
        #expect(throws: SettingsError.self) {
            try settings.merge(.object(["complete": .object(["checkSyntax": .string("yes")])]))
        }
    }
}
