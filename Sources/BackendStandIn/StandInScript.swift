import JSON

/// "If this text contains X, answer Y": one scripted answer of the stand-in.
public struct StandInRule: Sendable, Hashable {
    /// Which text of a request the rule looks at.
    public enum Scope: String, Sendable, Hashable {
        /// The last user message of a chat.
        case user
        /// The system messages of a chat.
        case system
        /// Any message of a chat, or the prefix, suffix or extra context of an infill.
        case any
        /// The prefix of an infill.
        case prefix
        /// The suffix of an infill.
        case suffix
    }

    public var contains: String
    public var scope: Scope
    /// The answer; `{seed}` and `{index}` are replaced by the sample's seed and index.
    public var answer: String

    public init(contains: String, in scope: Scope = .user, answer: String) {
        self.contains = contains
        self.scope = scope
        self.answer = answer
    }
}

/// What the stand-in answers: rules tried in order, then a default that depends on the seed so
/// that samples differ, and the server facts `/props` reports.
public struct StandInScript: Sendable, Hashable {
    public var rules: [StandInRule]
    /// The chat answer when no rule matches.
    public var defaultAnswer: String
    /// The infill answer when no rule matches.
    public var defaultInfill: String
    /// Context per slot (`/props` `n_ctx`); longer prompts get llama.cpp's overflow error.
    public var contextTokens: Int
    /// Slots (`/props` `total_slots`); `n` above it gets llama.cpp's 400.
    public var slots: Int
    /// The model name the server reports.
    public var model: String
    /// Pause between streamed pieces.
    public var tokenDelay: Duration

    public init(
        rules: [StandInRule] = [],
        defaultAnswer: String = "Stand-in answer {index} (seed {seed}).",
        defaultInfill: String = "pass  # stand-in {seed}",
        contextTokens: Int = 4096,
        slots: Int = 4,
        model: String = "stand-in-model",
        tokenDelay: Duration = .zero
    ) {
        self.rules = rules
        self.defaultAnswer = defaultAnswer
        self.defaultInfill = defaultInfill
        self.contextTokens = contextTokens
        self.slots = slots
        self.model = model
        self.tokenDelay = tokenDelay
    }

    /// Reads a script from JSON:
    /// `{"rules": [{"contains": "fibonacci", "in": "user", "answer": "…"}], "default": "…",
    /// "defaultInfill": "…", "contextTokens": 4096, "slots": 4, "model": "…", "tokenDelayMs": 0}`.
    /// Every member is optional.
    public init(json: JSONValue) throws(StandInScriptError) {
        self.init()
        guard json.objectValue != nil else { throw StandInScriptError("the script must be a JSON object") }
        if let rules = json["rules"] {
            guard let list = rules.arrayValue else { throw StandInScriptError("\"rules\" must be an array") }
            self.rules = try list.enumerated().map { (position, rule) throws(StandInScriptError) -> StandInRule in
                guard let contains = rule["contains"]?.stringValue, let answer = rule["answer"]?.stringValue else {
                    throw StandInScriptError("rule \(position) needs string members \"contains\" and \"answer\"")
                }
                var scope = StandInRule.Scope.user
                if let name = rule["in"]?.stringValue {
                    guard let parsed = StandInRule.Scope(rawValue: name) else {
                        throw StandInScriptError("rule \(position): \"in\" must be user, system, any, prefix or suffix")
                    }
                    scope = parsed
                }
                return StandInRule(contains: contains, in: scope, answer: answer)
            }
        }
        if let text = json["default"]?.stringValue { defaultAnswer = text }
        if let text = json["defaultInfill"]?.stringValue { defaultInfill = text }
        if let value = json["contextTokens"]?.intValue { contextTokens = Int(value) }
        if let value = json["slots"]?.intValue { slots = max(1, Int(value)) }
        if let text = json["model"]?.stringValue { model = text }
        if let value = json["tokenDelayMs"]?.intValue { tokenDelay = .milliseconds(value) }
    }

    /// The answer to a chat, for sample `index` with `seed`.
    func chatAnswer(messages: [(role: String, content: String)], seed: UInt32, index: Int) -> String {
        let lastUser = messages.last(where: { $0.role == "user" })?.content ?? ""
        let system = messages.filter { $0.role == "system" }.map(\.content).joined(separator: "\n")
        let all = messages.map(\.content).joined(separator: "\n")
        for rule in rules {
            let text: String
            switch rule.scope {
            case .user: text = lastUser
            case .system: text = system
            case .any, .prefix, .suffix: text = all
            }
            if text.contains(rule.contains) { return fill(rule.answer, seed: seed, index: index) }
        }
        return fill(defaultAnswer, seed: seed, index: index)
    }

    /// The answer to an infill, for sample `index` with `seed`.
    func infillAnswer(prefix: String, suffix: String, extra: String, seed: UInt32, index: Int) -> String {
        for rule in rules {
            let text: String
            switch rule.scope {
            case .prefix: text = prefix
            case .suffix: text = suffix
            case .any, .user, .system: text = extra + "\n" + prefix + "\n" + suffix
            }
            if text.contains(rule.contains) { return fill(rule.answer, seed: seed, index: index) }
        }
        return fill(defaultInfill, seed: seed, index: index)
    }

    private func fill(_ template: String, seed: UInt32, index: Int) -> String {
        template.replacing("{seed}", with: String(seed)).replacing("{index}", with: String(index))
    }

    /// The stand-in's tokenizer: one token per four UTF-8 bytes, rounded up.
    public static func tokenCount(_ text: String) -> Int {
        (text.utf8.count + 3) / 4
    }

    /// Token ids for `text` (deterministic, meaningless).
    static func tokens(_ text: String) -> [Int] {
        let bytes = Array(text.utf8)
        return stride(from: 0, to: bytes.count, by: 4).map { start in
            bytes[start..<min(start + 4, bytes.count)].reduce(0) { ($0 &* 31 &+ Int($1)) % 151_000 }
        }
    }

    /// `text` in streamable pieces (the stand-in's tokens): words with the white space after them.
    public static func pieces(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in text {
            if !current.isEmpty, !character.isWhitespace, current.last?.isWhitespace == true,
                current.contains(where: { !$0.isWhitespace })
            {
                pieces.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}

/// A script that cannot be read.
public struct StandInScriptError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
