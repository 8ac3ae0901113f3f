import ModelBackend
import SelfMoA
/// The settings of every action.
///
/// `init()` holds each action's defaults (`ActionSettings.defaults(for:)`). Decoding from JSON
/// (`{"explain": {"samples": 6}, "completion": {"maxTokens": 64}}`) starts from those defaults
/// and applies the keys present, so a partial configuration changes only what it names.
public struct AssistantSettings: Sendable, Hashable, Codable {
    public var explain: ActionSettings
    public var ask: ActionSettings
    public var review: ActionSettings
    public var complete: ActionSettings
    /// `textDocument/completion` and inline completion.
    public var completion: ActionSettings

    public init() {
        explain = .defaults(for: .explain)
        ask = .defaults(for: .ask)
        review = .defaults(for: .review)
        complete = .defaults(for: .complete)
        completion = .defaults(for: .completion)
    }

    public init(
        explain: ActionSettings, ask: ActionSettings = .defaults(for: .ask), review: ActionSettings,
        complete: ActionSettings, completion: ActionSettings
    ) {
        self.explain = explain
        self.ask = ask
        self.review = review
        self.complete = complete
        self.completion = completion
    }

    private enum CodingKeys: String, CodingKey {
        case explain, ask, review, complete, completion
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        for kind in ActionKindName.allCases {
            let key = CodingKeys(rawValue: kind.rawValue)!
            if let settings = try container.decodeIfPresent(ActionSettings.self, forKey: key) {
                self[action: kind] = self[action: kind].applying(settings)
            }
        }
    }

    /// The settings of one action.
    public subscript(action kind: ActionKindName) -> ActionSettings {
        get {
            switch kind {
            case .explain: return explain
            case .ask: return ask
            case .review: return review
            case .complete: return complete
            case .completion: return completion
            }
        }
        set {
            switch kind {
            case .explain: explain = newValue
            case .ask: ask = newValue
            case .review: review = newValue
            case .complete: complete = newValue
            case .completion: completion = newValue
            }
        }
    }

    /// The engine configuration of an action: its settings, with unset fields taken from the
    /// action's defaults and the engine's (seed drawn per run, Seq window chosen by budget).
    public func configuration(for kind: ActionKindName) -> SelfMoAConfiguration {
        let settings = ActionSettings.defaults(for: kind).applying(self[action: kind])
        let engine = SelfMoAConfiguration()
        return SelfMoAConfiguration(
            proposals: settings.samples ?? engine.proposals,
            proposerTemperature: settings.proposerTemperature ?? engine.proposerTemperature,
            aggregatorTemperature: settings.aggregatorTemperature ?? engine.aggregatorTemperature,
            seed: settings.seed,
            proposalMaxTokens: settings.maxTokens ?? engine.proposalMaxTokens,
            answerMaxTokens: settings.answerMaxTokens ?? engine.answerMaxTokens,
            mode: settings.mode ?? engine.mode,
            seq: SeqConfiguration(window: settings.window, reserved: settings.reserved),
            prefixReuse: settings.prefixReuse ?? engine.prefixReuse,
            proposerModels: settings.proposerModels ?? engine.proposerModels,
            aggregatorModel: settings.aggregatorModel,
            greedyProposal: settings.greedyProposal ?? engine.greedyProposal,
            agreement: settings.agreement ?? engine.agreement,
            aggregation: settings.aggregation ?? engine.aggregation,
            answer: settings.answer ?? engine.answer
        )
    }
}
