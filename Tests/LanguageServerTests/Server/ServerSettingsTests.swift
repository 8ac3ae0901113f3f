import Assistant
import JSON
import Testing
@testable import LanguageServer

/// Configuration keys reach the actions' settings, checked when they arrive.
@Suite struct ServerSettingsTests {
    @Test func userKeysArePerAction() throws {
        var settings = ServerSettings()
        let warnings = try settings.merge(.object([
            "complete": .object(["checkSyntax": .bool(false), "runExamples": .bool(true), "samples": .int(3)]),
        ]))
        #expect(warnings.isEmpty)
        let complete = settings.assistant.configuration(for: .complete)
        #expect(!complete.checkSyntax && complete.runExamples && complete.engine.proposals == 3)
        #expect(!settings.assistant.configuration(for: .completion).runExamples)

        try settings.merge(.object(["complete": .object(["runExamples": .bool(false)])]))
        #expect(!settings.assistant.configuration(for: .complete).runExamples)
        #expect(!settings.assistant.configuration(for: .complete).checkSyntax)
    }

    @Test func unknownAndInapplicableKeysAreNamedAndTheRestApplies() throws {
        var settings = ServerSettings()
        let warnings = try settings.merge(.object([
            "explain": .object(["checkSyntax": .bool(true), "samples": .int(5), "temperature": .double(0.2)]),
            "completion": .object(["wholeFunction": .bool(true)]),
            "complete": .object(["answer": .string("synthesis")]),
            "colour": .string("blue"),
            "backend": .object(["host": .string("x")]),
        ]))
        #expect(settings.assistant.configuration(for: .explain).engine.proposals == 5)
        #expect(settings.assistant.configuration(for: .complete).engine.answer == .central)
        let text = warnings.joined(separator: "\n")
        #expect(text.contains("explain.checkSyntax does not apply to explain"))
        #expect(text.contains("it applies to complete, completion"))
        #expect(text.contains("unknown setting explain.temperature"))
        #expect(text.contains("completion.wholeFunction does not apply"))
        #expect(text.contains("complete.answer is experimental"))
        #expect(text.contains("unknown setting colour"))
        #expect(text.contains("unknown setting backend.host"))
    }

    @Test func experimentalKeysApplyUnderExperimental() throws {
        var settings = ServerSettings()
        let warnings = try settings.merge(.object([
            "experimental": .object([
                "complete": .object(["answer": .string("synthesis"), "aggregatorModel": .string("big")]),
                "review": .object(["answer": .string("central"), "checkSyntax": .bool(true)]),
            ]),
        ]))
        #expect(settings.assistant.configuration(for: .complete).engine.answer == .synthesis)
        #expect(settings.assistant.configuration(for: .complete).engine.aggregatorModel == "big")
        #expect(settings.assistant.configuration(for: .review).engine.answer == .central)
        #expect(warnings == ["experimental.review.checkSyntax does not apply to review (ignored); it applies to complete, completion"])
    }

    /// A global mode applies to every action's mode and leaves complete's whole-function ask alone.
    @Test func aGlobalModeChangesOnlyModes() throws {
        var settings = ServerSettings()
        try settings.merge(.object(["mode": .string("auto"), "samples": .int(6), "seed": .int(9)]))
        let complete = settings.assistant.configuration(for: .complete)
        #expect(complete.wholeFunction && complete.wholeFunctionMode == .selfMoA && complete.engine.escalate)
        #expect(complete.engine.mode == .auto && complete.engine.proposals == 6 && complete.engine.seed == 9)
        #expect(settings.assistant.configuration(for: .explain).engine.seed == 9)
    }

    @Test func aBadValueChangesNothingAndNamesTheKey() throws {
        var settings = ServerSettings()
        try settings.merge(.object(["explain": .object(["samples": .int(2)])]))
        let before = settings
        for (json, key) in [
            (JSONValue.object(["complete": .object(["samples": .int(0)])]), "complete.samples"),
            (.object(["complete": .object(["checkSyntax": .string("yes")])]), "complete.checkSyntax"),
            (.object(["experimental": .object(["complete": .object(["answer": .string("vote")])])]), "experimental.complete.answer"),
            (.object(["explain": .object(["samples": .int(3)]), "mode": .string("fast")]), "mode"),
            (.object(["backend": .object(["threads": .int(0)])]), "backend.threads"),
            (.object(["backend": .object(["url": .string("ftp://example.com")])]), "backend.url"),
        ] {
            do {
                try settings.merge(json)
                Issue.record("\(json) was accepted")
            } catch {
                #expect(error.message.hasPrefix(key), "\(error.message)")
            }
            #expect(settings == before)
        }
    }

    @Test func aCombinationTheEngineRefusesIsRefusedWhenItArrives() {
        var settings = ServerSettings()
        #expect(throws: SettingsError.self) {
            try settings.merge(.object(["experimental": .object(["explain": .object([
                "mode": .string("seq"), "window": .int(3), "reserved": .int(3)])])]))
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
    }
}
