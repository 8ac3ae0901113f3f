import ModelBackend
import SelfMoA
import Foundation
import Testing
@testable import Assistant

@Suite struct AssistantSettingsTests {
    @Test func defaultsSuitASmallModelOnACPU() {
        let settings = AssistantSettings()
        let explain = settings.configuration(for: .explain)
        #expect(explain.proposals == 4)
        #expect(explain.proposalMaxTokens == 256)
        #expect(explain.answerMaxTokens == 384)
        #expect(explain.proposerTemperature == 0.7)
        #expect(explain.aggregatorTemperature == 0)
        #expect(explain.mode == .auto)
        #expect(explain.prefixReuse)
        #expect(settings.configuration(for: .review).proposals == 4)
        #expect(settings.configuration(for: .complete).proposalMaxTokens == 192)
        let completion = settings.configuration(for: .completion)
        #expect(completion.proposals == 2)
        #expect(completion.proposalMaxTokens == 96)
        #expect(completion.answerMaxTokens == 96)
        for kind in ActionKindName.allCases {
            #expect(throws: Never.self) { try settings.configuration(for: kind).validate() }
        }
    }

    @Test func decodingAPartialConfigurationKeepsTheOtherDefaults() throws {
        let json = #"""
            {"explain": {"samples": 6, "mode": "seq", "window": 4, "reserved": 2, "unknown": true},
             "completion": {"maxTokens": 48, "proposerModels": ["a", "b"]}}
            """#
        let settings = try JSONDecoder().decode(AssistantSettings.self, from: Data(json.utf8))
        #expect(settings.explain.samples == 6)
        #expect(settings.explain.maxTokens == 256)
        #expect(settings.review == ActionSettings.defaults(for: .review))
        let explain = settings.configuration(for: .explain)
        #expect(explain.proposals == 6)
        #expect(explain.mode == .seq)
        #expect(explain.seq == SeqConfiguration(window: 4, reserved: 2))
        let completion = settings.configuration(for: .completion)
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
        #expect(review.proposals == 8)
        #expect(review.seed == 42)
        #expect(review.proposalMaxTokens == 256)
        #expect(review.proposerTemperature == 0.7)
    }

    @Test func applyingTakesTheFieldsTheOtherSets() {
        let base = ActionSettings(samples: 4, maxTokens: 100, aggregatorModel: "judge")
        let result = base.applying(ActionSettings(maxTokens: 50, mode: .single))
        #expect(result == ActionSettings(samples: 4, maxTokens: 50, mode: .single, aggregatorModel: "judge"))
    }

    /// complete answers with the central candidate by default; naming a model to write the
    /// answer asks for the synthesis, unless the same settings name the answer too.
    @Test func namingAnAggregatorModelAsksForTheSynthesis() {
        let complete = ActionSettings.defaults(for: .complete)
        #expect(complete.answer == .central)
        #expect(complete.applying(ActionSettings(aggregatorModel: "qwen2.5-coder-1.5b")).answer == .synthesis)
        #expect(complete.applying(ActionSettings(aggregatorModel: "qwen2.5-coder-1.5b", answer: .central)).answer == .central)
        #expect(complete.applying(ActionSettings(samples: 6)).answer == .central)
    }

    /// Where complete asks for the whole function it answers with one greedy sample, unless the
    /// settings name a mode or an aggregator model: then that mode, or the synthesis, applies there too.
    @Test func namingAModeOrAnAggregatorMakesTheWholeFunctionFollowIt() {
        let complete = ActionSettings.defaults(for: .complete)
        #expect(complete.wholeFunction == true && complete.wholeFunctionMode == .single)
        #expect(complete.applying(ActionSettings(samples: 4)).wholeFunctionMode == .single)
        #expect(complete.applying(ActionSettings(mode: .selfMoA)).wholeFunctionMode == nil)
        #expect(complete.applying(ActionSettings(aggregatorModel: "qwen2.5-coder-1.5b")).wholeFunctionMode == nil)
        #expect(complete.applying(ActionSettings(mode: .selfMoA, wholeFunctionMode: .seq)).wholeFunctionMode == .seq)
        for kind in [ActionKindName.explain, .review, .completion] {
            #expect(ActionSettings.defaults(for: kind).wholeFunction == false)
        }
    }

    @Test func onlyReviewRepairsToCheckByDefault() {
        #expect(ActionSettings.defaults(for: .review).repairCheck == true)
        for kind in [ActionKindName.explain, .complete, .completion] {
            #expect(ActionSettings.defaults(for: kind).repairCheck == false)
        }
        #expect(ActionSettings.defaults(for: .review).applying(ActionSettings(repairCheck: false)).repairCheck == false)
        #expect(ActionSettings.defaults(for: .review).applying(ActionSettings(samples: 2)).repairCheck == true)
    }
}
