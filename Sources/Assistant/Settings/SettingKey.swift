import SelfMoA

/// A setting's value as it arrives, before it is checked against its key.
public enum SettingValue: Sendable, Hashable {
    case bool(Bool)
    case integer(Int)
    case number(Double)
    case string(String)
    case strings([String])
}

/// One per-action setting: its name, the values it takes, and the actions it means something to.
///
/// The table `SettingKey.all` is the one place that says which key applies where: the server
/// checks client settings against it, the CLI its flags, and a test the configuration schema.
/// Keys in `actions` are user settings (`{"review": {"repairCheck": false}}`); keys in
/// `experimental` are knobs the benchmarks turn, accepted only under the `experimental` object
/// (`{"experimental": {"complete": {"answer": "synthesis"}}}`) and free to change between
/// versions.
public struct SettingKey: Sendable {
    /// The values a key takes.
    public enum ValueType: Sendable, Hashable {
        case bool
        case integer(ClosedRange<Int>)
        case number(ClosedRange<Double>)
        case string
        case strings
        case choice([String])
    }

    public let name: String
    public let type: ValueType
    /// Where the key is a user setting.
    public let actions: Set<ActionKindName>
    /// Where the key is accepted under `experimental` (the user actions included).
    public let experimental: Set<ActionKindName>
    let apply: @Sendable (inout ActionSettings, SettingValue) -> Void

    init(
        _ name: String, _ type: ValueType, user: Set<ActionKindName>, experimental: Set<ActionKindName> = Set(ActionKindName.allCases),
        _ apply: @escaping @Sendable (inout ActionSettings, SettingValue) -> Void
    ) {
        self.name = name
        self.type = type
        self.actions = user
        self.experimental = experimental.union(user)
        self.apply = apply
    }

    /// The key named `name`, if there is one.
    public static func named(_ name: String) -> SettingKey? { all.first { $0.name == name } }

    /// Checks `value` against the key's type and range; the message names `path`.
    public func check(_ value: SettingValue, path: String) throws(SettingsError) -> SettingValue {
        switch (type, value) {
        case (.bool, .bool), (.string, .string), (.strings, .strings): return value
        case (.integer(let range), .integer(let number)):
            guard range.contains(number) else {
                throw SettingsError(path, "must be an integer from \(range.lowerBound) to \(range.upperBound) (got \(number))")
            }
            return value
        case (.number(let range), .number(let number)):
            guard range.contains(number) else {
                throw SettingsError(path, "must be a number from \(range.lowerBound) to \(range.upperBound) (got \(number))")
            }
            return value
        case (.number, .integer(let number)): return try check(.number(Double(number)), path: path)
        case (.choice(let choices), .string(let text)):
            guard choices.contains(text) else { throw SettingsError(path, "must be one of \(choices.joined(separator: ", ")) (got \(text))") }
            return value
        default: throw SettingsError(path, "must be \(type.phrase)")
        }
    }

    /// `settings` with this key set to `value` (checked first).
    public func applied(_ value: SettingValue, to settings: ActionSettings, path: String) throws(SettingsError) -> ActionSettings {
        let checked = try check(value, path: path)
        var settings = settings
        apply(&settings, checked)
        return settings
    }

    /// What a client may say of `key` in `action`: applies, is experimental there, or does not apply.
    public static func standing(of name: String, in action: ActionKindName) -> Standing {
        guard let key = named(name) else { return .unknown }
        if key.actions.contains(action) { return .user(key) }
        if key.experimental.contains(action) { return .experimental(key) }
        return .inapplicable(appliesTo: ActionKindName.allCases.filter(key.actions.contains))
    }

    /// Where a key stands for an action.
    public enum Standing: Sendable {
        case user(SettingKey)
        case experimental(SettingKey)
        case inapplicable(appliesTo: [ActionKindName])
        case unknown
    }
}

extension SettingKey.ValueType {
    var phrase: String {
        switch self {
        case .bool: return "true or false"
        case .integer(let range): return "an integer from \(range.lowerBound) to \(range.upperBound)"
        case .number(let range): return "a number from \(range.lowerBound) to \(range.upperBound)"
        case .string: return "a string"
        case .strings: return "an array of strings"
        case .choice(let choices): return "one of \(choices.joined(separator: ", "))"
        }
    }
}

/// A setting that cannot be applied: a wrong type or value, or a combination the engine
/// refuses. The message names the key.
public struct SettingsError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public init(_ path: String, _ problem: String) { self.message = "\(path) \(problem)" }
    public var description: String { "invalid selfmoa settings: \(message)" }
}
