import Assistant
import JSON
import ModelBackend
import SelfMoA

/// Everything a client can configure, merged from (lowest first) the command line, the
/// `initializationOptions` and every `workspace/didChangeConfiguration`.
///
/// Keys (all optional): `backend.{url, model, apiKeyEnv, contextTokens, threads,
/// firstTokenTimeout, totalTimeout}`, `mode`, `seq.{window, reserved}`, `samples` (every action), and per action
/// (`explain`, `review`, `complete`, `completion`) the fields of `ActionSettings` — among them the
/// candidate choice: `greedyProposal`, `agreement`, `checkSyntax`, `runExamples`; and `infill`,
/// `aggregatorModel`.
public struct ServerSettings: Sendable, Hashable {
    public var backend: BackendConfiguration
    public var assistant: AssistantSettings

    public init(backend: BackendConfiguration = BackendConfiguration(), assistant: AssistantSettings = AssistantSettings()) {
        self.backend = backend
        self.assistant = assistant
    }

    /// Applies the keys present in `json`; absent keys keep their values. Throws a message naming
    /// the first key of the wrong type.
    public mutating func merge(_ json: JSONValue) throws(SettingsError) {
        guard case .object = json else { throw SettingsError("settings must be an object, got \(json.kindName)") }
        if let backend = json["backend"] {
            guard case .object = backend else { throw SettingsError("backend must be an object") }
            if let url = backend["url"] { self.backend.url = try optionalString(url, "backend.url") }
            if let model = backend["model"] { self.backend.model = try optionalString(model, "backend.model") }
            if let env = backend["apiKeyEnv"] { self.backend.apiKeyEnv = try optionalString(env, "backend.apiKeyEnv") }
            if let tokens = backend["contextTokens"] { self.backend.contextTokens = try optionalInt(tokens, "backend.contextTokens") }
            if let threads = backend["threads"] { self.backend.embedded.threads = try optionalInt(threads, "backend.threads") }
            if let seconds = backend["firstTokenTimeout"], let value = try optionalInt(seconds, "backend.firstTokenTimeout") {
                self.backend.timeouts.firstToken = .seconds(value)
            }
            if let seconds = backend["totalTimeout"], let value = try optionalInt(seconds, "backend.totalTimeout") {
                self.backend.timeouts.total = .seconds(value)
            }
        }
        // Global keys apply to every action; per-action keys override them.
        var global = ActionSettings()
        if let mode = json["mode"] {
            guard let text = mode.stringValue, let parsed = SelfMoAMode(rawValue: text) else {
                throw SettingsError("mode must be one of auto, selfmoa, seq, single")
            }
            global.mode = parsed
        }
        if let samples = json["samples"] { global.samples = try optionalInt(samples, "samples") }
        if let seq = json["seq"] {
            if let window = seq["window"] { global.window = try optionalInt(window, "seq.window") }
            if let reserved = seq["reserved"] { global.reserved = try optionalInt(reserved, "seq.reserved") }
        }
        for kind in ActionKindName.allCases {
            var settings = assistant[action: kind].applying(global)
            if let specific = json[kind.rawValue] {
                do {
                    settings = settings.applying(try JSONValueDecoder().decode(ActionSettings.self, from: specific))
                } catch let error as DecodingError {
                    throw SettingsError("\(kind.rawValue).\(error.humanDescription)")
                } catch {
                    throw SettingsError("\(kind.rawValue): \(error)")
                }
            }
            assistant[action: kind] = settings
        }
    }

    private func optionalString(_ value: JSONValue, _ key: String) throws(SettingsError) -> String? {
        if value.isNull { return nil }
        guard let text = value.stringValue else { throw SettingsError("\(key) must be a string") }
        return text.isEmpty ? nil : text
    }

    private func optionalInt(_ value: JSONValue, _ key: String) throws(SettingsError) -> Int? {
        if value.isNull { return nil }
        guard let number = value.intValue, number > 0, number < Int64(Int32.max) else {
            throw SettingsError("\(key) must be a positive integer")
        }
        return Int(number)
    }
}

/// A configuration value of the wrong shape.
public struct SettingsError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "invalid selfmoa settings: \(message)" }
}
