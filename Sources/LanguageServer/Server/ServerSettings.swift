import Assistant
import JSON
import ModelBackend
import SelfMoA

/// Everything a client can configure, merged from (lowest first) the command line, the
/// `initializationOptions` and every `workspace/didChangeConfiguration`, and checked as it
/// arrives.
///
/// Keys: `backend.{url, model, apiKeyEnv, contextTokens, threads, firstTokenTimeout,
/// totalTimeout}`; `mode`, `samples`, `seed` for every action; per action (`explain`, `ask`,
/// `review`, `complete`, `completion`) the user keys `SettingKey.all` gives it; and, for
/// benchmarks, `experimental.<action>.<key>` for the engine's other knobs
/// (`protocol/schemas/configuration.schema.json`).
public struct ServerSettings: Sendable, Hashable {
    public var backend: BackendConfiguration
    public var assistant: AssistantSettings

    public init(backend: BackendConfiguration = BackendConfiguration(), assistant: AssistantSettings = AssistantSettings()) {
        self.backend = backend
        self.assistant = assistant
    }

    /// The keys of our settings object.
    public static let topLevelKeys: Set<String> = Set(["backend", "experimental"] + SettingKey.global + ActionKindName.allCases.map(\.rawValue))

    /// Applies the keys present in `json`; absent keys keep their values.
    ///
    /// A wrong type or value, or a combination the engine refuses, throws a message naming the
    /// key, and nothing changes. An unknown key, a key that does not apply to its action, or an
    /// experimental key outside `experimental` is left out and named in the returned warnings;
    /// the rest applies.
    @discardableResult
    public mutating func merge(_ json: JSONValue) throws(SettingsError) -> [String] {
        guard let members = json.objectValue else { throw SettingsError("settings must be an object, got \(json.kindName)") }
        var merged = self
        var warnings: [String] = []
        var global = ActionSettings()
        for (key, value) in members.sorted(by: { $0.key < $1.key }) {
            switch key {
            case "backend": try merged.mergeBackend(value, warnings: &warnings)
            case let name where SettingKey.global.contains(name):
                guard let setting = SettingKey.named(name) else { continue }
                global = try setting.applied(try Self.value(value, path: name), to: global, path: name)
            case "experimental": continue
            case let name where ActionKindName(rawValue: name) != nil: continue
            default: warnings.append("unknown setting \(key) (ignored)")
            }
        }
        for kind in ActionKindName.allCases {
            var settings = merged.assistant[action: kind].applying(global)
            if let specific = members[kind.rawValue] {
                settings = try Self.apply(specific, to: settings, kind: kind, experimental: false, warnings: &warnings)
            }
            if let specific = members["experimental"]?[kind.rawValue] {
                settings = try Self.apply(specific, to: settings, kind: kind, experimental: true, warnings: &warnings)
            }
            merged.assistant[action: kind] = settings
        }
        if let experimental = members["experimental"] {
            guard let sections = experimental.objectValue else { throw SettingsError("experimental must be an object") }
            for key in sections.keys.sorted() where ActionKindName(rawValue: key) == nil {
                warnings.append("unknown setting experimental.\(key) (ignored): experimental keys go under an action")
            }
        }
        try merged.assistant.validate()
        warnings += merged.assistant.inertSettings()
        self = merged
        return warnings
    }

    /// One action's object: each key checked against `SettingKey.all`.
    private static func apply(
        _ json: JSONValue, to settings: ActionSettings, kind: ActionKindName, experimental: Bool, warnings: inout [String]
    ) throws(SettingsError) -> ActionSettings {
        let prefix = experimental ? "experimental.\(kind.rawValue)" : kind.rawValue
        guard let members = json.objectValue else { throw SettingsError("\(prefix) must be an object, got \(json.kindName)") }
        var settings = settings
        for (name, value) in members.sorted(by: { $0.key < $1.key }) {
            let path = "\(prefix).\(name)"
            switch SettingKey.standing(of: name, in: kind) {
            case .user(let key):
                settings = try key.applied(try Self.value(value, path: path), to: settings, path: path)
            case .experimental(let key):
                guard experimental else {
                    warnings.append("\(path) is experimental (ignored): set it as experimental.\(kind.rawValue).\(name)")
                    continue
                }
                settings = try key.applied(try Self.value(value, path: path), to: settings, path: path)
            case .inapplicable(let actions):
                let places = actions.map(\.rawValue).joined(separator: ", ")
                warnings.append("\(path) does not apply to \(kind.rawValue) (ignored)" + (places.isEmpty ? "" : "; it applies to \(places)"))
            case .unknown:
                warnings.append("unknown setting \(path) (ignored)")
            }
        }
        return settings
    }

    /// A JSON value as a setting's value (the key checks its type).
    private static func value(_ json: JSONValue, path: String) throws(SettingsError) -> SettingValue {
        switch json {
        case .bool(let flag): return .bool(flag)
        case .int(let number):
            guard let value = Int(exactly: number) else { throw SettingsError(path, "is out of range") }
            return .integer(value)
        case .double(let number):
            if let whole = Int(exactly: number) { return .integer(whole) }
            return .number(number)
        case .string(let text): return .string(text)
        case .array(let items):
            var strings: [String] = []
            for item in items {
                guard let text = item.stringValue else { throw SettingsError(path, "must be an array of strings") }
                strings.append(text)
            }
            return .strings(strings)
        case .null, .object: throw SettingsError(path, "must not be \(json.kindName)")
        }
    }

    private mutating func mergeBackend(_ json: JSONValue, warnings: inout [String]) throws(SettingsError) {
        guard let members = json.objectValue else { throw SettingsError("backend must be an object") }
        for (key, value) in members.sorted(by: { $0.key < $1.key }) {
            let path = "backend.\(key)"
            switch key {
            case "url":
                let url = try optionalString(value, path)
                if let url, let problem = BackendConfiguration.problem(withURL: url, key: path) { throw SettingsError(problem) }
                backend.url = url
            case "model": backend.model = try optionalString(value, path)
            case "apiKeyEnv": backend.apiKeyEnv = try optionalString(value, path)
            case "contextTokens": backend.contextTokens = try optionalInt(value, path)
            case "threads": backend.embedded.threads = try optionalInt(value, path)
            case "firstTokenTimeout":
                if let seconds = try optionalInt(value, path) { backend.timeouts.firstToken = .seconds(seconds) }
            case "totalTimeout":
                if let seconds = try optionalInt(value, path) { backend.timeouts.total = .seconds(seconds) }
            default: warnings.append("unknown setting \(path) (ignored)")
            }
        }
    }

    private func optionalString(_ value: JSONValue, _ key: String) throws(SettingsError) -> String? {
        if value.isNull { return nil }
        guard let text = value.stringValue else { throw SettingsError(key, "must be a string") }
        return text.isEmpty ? nil : text
    }

    private func optionalInt(_ value: JSONValue, _ key: String) throws(SettingsError) -> Int? {
        if value.isNull { return nil }
        guard let number = value.intValue, number > 0, number < Int64(Int32.max) else {
            throw SettingsError(key, "must be a positive integer")
        }
        return Int(number)
    }
}
