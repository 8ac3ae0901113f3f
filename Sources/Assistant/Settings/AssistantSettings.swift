import SelfMoA

/// The settings of every action: what was set (`ActionSettings`, layered) and, resolved once
/// whenever that changes, what each action runs with (`ActionConfiguration`).
///
/// `init()` holds each action's defaults (`ActionSettings.defaults(for:)`). Decoding from JSON
/// (`{"explain": {"samples": 6}, "completion": {"maxTokens": 64}}`, the benchmarks' form) starts
/// from those defaults and applies the keys present.
public struct AssistantSettings: Sendable, Hashable, Codable {
    private var layers: [ActionKindName: ActionSettings] = [:]
    private var resolved: [ActionKindName: ActionConfiguration] = [:]

    public init() {
        for kind in ActionKindName.allCases { self[action: kind] = ActionSettings() }
    }

    private enum CodingKeys: String, CodingKey {
        case explain, ask, review, complete, completion
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let container = try decoder.container(keyedBy: CodingKeys.self)
        for kind in ActionKindName.allCases {
            if let settings = try container.decodeIfPresent(ActionSettings.self, forKey: CodingKeys(rawValue: kind.rawValue)!) {
                self[action: kind] = self[action: kind].applying(settings)
            }
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        for kind in ActionKindName.allCases {
            try container.encode(self[action: kind], forKey: CodingKeys(rawValue: kind.rawValue)!)
        }
    }

    /// What was set for one action (unset fields fall back to its defaults when resolved).
    public subscript(action kind: ActionKindName) -> ActionSettings {
        get { layers[kind] ?? ActionSettings() }
        set {
            layers[kind] = newValue
            resolved[kind] = ActionConfiguration(kind, newValue)
        }
    }

    public var explain: ActionSettings {
        get { self[action: .explain] }
        set { self[action: .explain] = newValue }
    }
    public var ask: ActionSettings {
        get { self[action: .ask] }
        set { self[action: .ask] = newValue }
    }
    public var review: ActionSettings {
        get { self[action: .review] }
        set { self[action: .review] = newValue }
    }
    public var complete: ActionSettings {
        get { self[action: .complete] }
        set { self[action: .complete] = newValue }
    }
    public var completion: ActionSettings {
        get { self[action: .completion] }
        set { self[action: .completion] = newValue }
    }

    /// What one action runs with.
    public func configuration(for kind: ActionKindName) -> ActionConfiguration {
        resolved[kind] ?? ActionConfiguration(kind, self[action: kind])
    }

    /// Checks every action's resolved configuration; the message names the action.
    public func validate() throws(SettingsError) {
        for kind in ActionKindName.allCases {
            do {
                try configuration(for: kind).engine.validate()
            } catch {
                throw SettingsError("\(kind.rawValue): \(error.message)")
            }
        }
    }

    /// Settings that are set but have no effect under the others, e.g. an `aggregatorModel`
    /// where the answer is chosen rather than synthesised: one message each, naming the key.
    public func inertSettings() -> [String] {
        var messages: [String] = []
        for kind in ActionKindName.allCases {
            let set = self[action: kind]
            let engine = configuration(for: kind).engine
            if set.aggregatorModel != nil, engine.answer == .central, engine.mode != .single {
                messages.append("\(kind.rawValue): aggregatorModel has no effect: the answer is chosen among the candidates (answer: central)")
            }
            if set.window != nil || set.reserved != nil, engine.mode == .single || engine.mode == .selfMoA {
                messages.append("\(kind.rawValue): window and reserved have no effect in mode \(engine.mode.rawValue) (they shape seq)")
            }
            if set.correctUnparsed == true, !configuration(for: kind).checkSyntax {
                messages.append("\(kind.rawValue): correctUnparsed has no effect with checkSyntax off (nothing is parsed to correct)")
            }
        }
        return messages
    }
}
