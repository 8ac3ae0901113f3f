import ModelBackend
import SelfMoA
import Foundation
import Testing
@testable import Assistant

@Suite struct AssistantSettingsTests {
    @Test func defaultsSuitASmallModelOnACPU() {
        let settings = AssistantSettings()
        let explain = settings.configuration(for: .explain).engine
        #expect(explain.proposals == 4)
        #expect(explain.proposalMaxTokens == 256)
        #expect(explain.answerMaxTokens == 384)
        #expect(explain.proposerTemperature == 0.7)
        #expect(explain.aggregatorTemperature == 0)
        #expect(explain.mode == .auto)
        #expect(explain.prefixReuse)
        #expect(explain.streamDraft)
        #expect(settings.configuration(for: .review).engine.proposals == 4)
        #expect(!settings.configuration(for: .review).engine.streamDraft)
        #expect(settings.configuration(for: .complete).engine.proposalMaxTokens == 192)
        let completion = settings.configuration(for: .completion).engine
        #expect(completion.proposals == 2)
        #expect(completion.proposalMaxTokens == 96)
        #expect(completion.answerMaxTokens == 96)
        #expect(throws: Never.self) { try settings.validate() }
    }

    @Test func decodingAPartialConfigurationKeepsTheOtherDefaults() throws {
        let json = #"""
            {"explain": {"samples": 6, "mode": "seq", "window": 4, "reserved": 2, "unknown": true},
             "completion": {"maxTokens": 48, "proposerModels": ["a", "b"]}}
            """#
        let settings = try JSONDecoder().decode(AssistantSettings.self, from: Data(json.utf8))
        #expect(settings[action: .explain].samples == 6)
        #expect(settings[action: .review] == ActionSettings())
        let explain = settings.configuration(for: .explain).engine
        #expect(explain.proposals == 6)
        #expect(explain.proposalMaxTokens == 256)
        #expect(explain.mode == .seq)
        #expect(explain.seq == SeqConfiguration(window: 4, reserved: 2))
        let completion = settings.configuration(for: .completion).engine
        #expect(completion.proposalMaxTokens == 48)
        #expect(completion.proposals == 2)
        #expect(completion.proposerModels == ["a", "b"])
    }

    @Test func actionSettingsDecodeOnlyWhatIsPresent() throws {
        let decoded = try JSONDecoder().decode(ActionSettings.self, from: Data(#"{"samples": 3}"#.utf8))
        #expect(decoded == ActionSettings(samples: 3))
    }

    @Test func unsetFieldsFallBackToTheActionsDefaults() {
        var settings = AssistantSettings()
        settings[action: .review] = ActionSettings(samples: 8, seed: 42)
        let review = settings.configuration(for: .review)
        #expect(review.engine.proposals == 8)
        #expect(review.engine.seed == 42)
        #expect(review.engine.proposalMaxTokens == 256)
        #expect(review.engine.proposerTemperature == 0.7)
        #expect(review.repairCheck)
    }

    @Test func applyingTakesTheFieldsTheOtherSetsAndNothingElse() {
        let base = ActionSettings(samples: 4, maxTokens: 100, aggregatorModel: "judge")
        let result = base.applying(ActionSettings(maxTokens: 50, mode: .single))
        #expect(result == ActionSettings(samples: 4, maxTokens: 50, mode: .single, aggregatorModel: "judge"))
        #expect(ActionSettings().applying(ActionSettings(aggregatorModel: "m")) == ActionSettings(aggregatorModel: "m"))
    }

    /// No key changes another: naming an aggregator keeps complete's choice among candidates,
    /// and naming a mode keeps the whole-function ask as it is (greedy first, escalating).
    @Test func noKeyChangesAnother() {
        var settings = AssistantSettings()
        settings[action: .complete] = ActionSettings(mode: .auto, aggregatorModel: "qwen2.5-coder-1.5b")
        let complete = settings.configuration(for: .complete)
        #expect(complete.engine.answer == .central)
        #expect(complete.wholeFunction && complete.wholeFunctionMode == .selfMoA && complete.engine.escalate && complete.runExamples)
        #expect(settings.inertSettings().contains { $0.hasPrefix("complete: aggregatorModel") })
        settings[action: .complete] = ActionSettings(mode: .selfMoA, wholeFunctionMode: .seq)
        #expect(settings.configuration(for: .complete).wholeFunctionMode == .seq)
        for kind in [ActionKindName.explain, .review, .completion] {
            #expect(!settings.configuration(for: kind).wholeFunction)
        }
    }

    /// complete corrects unparsed code by default; with checkSyntax off nothing is parsed, so
    /// asking for the correction is reported as having no effect.
    @Test func correctingUnparsedCodeNeedsTheSyntaxCheck() {
        var settings = AssistantSettings()
        #expect(settings.configuration(for: .complete).correctUnparsed)
        #expect(!settings.configuration(for: .completion).correctUnparsed)
        #expect(settings.inertSettings().isEmpty)
        settings[action: .complete] = ActionSettings(checkSyntax: false, correctUnparsed: true)
        #expect(settings.inertSettings() == ["complete: correctUnparsed has no effect with checkSyntax off (nothing is parsed to correct)"])
    }

    /// The experimental context for complete and completion — the headers' declarations, the
    /// code like the cursor's from the files beside it — is shown only when asked for (measured
    /// no gain with the 0.5B model), and only for the action it is set for.
    @Test func extraContextIsShownOnlyWhenAskedFor() {
        let keys: [(name: String, on: ActionSettings, of: (ActionConfiguration) -> Bool)] = [
            ("headerDeclarations", ActionSettings(headerDeclarations: true), \.headerDeclarations),
            ("similarCode", ActionSettings(similarCode: true), \.similarCode),
        ]
        for key in keys {
            var settings = AssistantSettings()
            #expect(!key.of(settings.configuration(for: .complete)), "\(key.name)")
            #expect(!key.of(settings.configuration(for: .completion)), "\(key.name)")
            settings[action: .completion] = key.on
            #expect(key.of(settings.configuration(for: .completion)), "\(key.name)")
            #expect(!key.of(settings.configuration(for: .complete)), "\(key.name)")
        }
    }

    /// complete and completion answer with a candidate: their maxTokens caps that answer too.
    @Test func completesMaxTokensCapsItsAnswer() {
        var settings = AssistantSettings()
        #expect(settings.configuration(for: .complete).engine.answerMaxTokens == 256)
        settings[action: .complete] = ActionSettings(maxTokens: 400)
        #expect(settings.configuration(for: .complete).engine.answerMaxTokens == 400)
        settings[action: .explain] = ActionSettings(maxTokens: 400)
        #expect(settings.configuration(for: .explain).engine.answerMaxTokens == 384)
    }

    @Test func aCombinationTheEngineRefusesIsRefusedWhenSet() {
        var settings = AssistantSettings()
        settings[action: .explain] = ActionSettings(mode: .seq, window: 3, reserved: 3)
        #expect(throws: SettingsError.self) { try settings.validate() }
    }

    @Test func onlyReviewRepairsToCheckByDefault() {
        let settings = AssistantSettings()
        #expect(settings.configuration(for: .review).repairCheck)
        for kind in [ActionKindName.explain, .ask, .complete, .completion] {
            #expect(!settings.configuration(for: kind).repairCheck)
        }
    }
}
