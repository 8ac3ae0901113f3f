import SelfMoA

extension SettingKey {
    private static let prose: Set<ActionKindName> = [.explain, .ask, .review]
    private static let code: Set<ActionKindName> = [.complete, .completion]
    private static let every = Set(ActionKindName.allCases)
    private static let modes = SelfMoAMode.allCases.map(\.rawValue)
    private static let tokens = 1...8192

    /// Every per-action key: the user settings first (`protocol/schemas/configuration.schema.json`
    /// lists exactly these), then the experimental ones.
    ///
    /// - `samples`, `mode`, `maxTokens` (each candidate's cap): every action.
    /// - `answer` (`synthesis` or `central`), `aggregatorModel`: the prose actions (explain, ask,
    ///   review), where either way of answering makes sense. complete and completion choose
    ///   among their candidates (experimentally they can synthesise).
    /// - `repairCheck`: review. `runExamples`: review and complete. `checkSyntax`, `addImports`:
    ///   complete and completion. `wholeFunction`: complete. `roundTrip` (experimental): explain.
    ///   `headerDeclarations`, `similarCode` (experimental): complete and completion.
    public static let all: [SettingKey] = [
        SettingKey("samples", .integer(1...32), user: every) { $0.samples = $1.int },
        SettingKey("mode", .choice(modes), user: every) { $0.mode = $1.text.flatMap(SelfMoAMode.init(rawValue:)) },
        SettingKey("maxTokens", .integer(tokens), user: every) { $0.maxTokens = $1.int },
        SettingKey("answer", .choice(AnswerSource.allCases.map(\.rawValue)), user: prose) {
            $0.answer = $1.text.flatMap(AnswerSource.init(rawValue:))
        },
        SettingKey("aggregatorModel", .string, user: prose) { $0.aggregatorModel = $1.text.flatMap { $0.isEmpty ? nil : $0 } },
        SettingKey("repairCheck", .bool, user: [.review], experimental: []) { $0.repairCheck = $1.flag },
        SettingKey("runExamples", .bool, user: [.review, .complete], experimental: [.completion]) { $0.runExamples = $1.flag },
        SettingKey("checkSyntax", .bool, user: code, experimental: []) { $0.checkSyntax = $1.flag },
        SettingKey("addImports", .bool, user: code, experimental: []) { $0.addImports = $1.flag },
        SettingKey("wholeFunction", .bool, user: [.complete], experimental: []) { $0.wholeFunction = $1.flag },
        // Experimental: the engine's knobs, for benchmarks.
        SettingKey("roundTrip", .bool, user: [], experimental: [.explain]) { $0.roundTrip = $1.flag },
        SettingKey("seed", .integer(0...Int(UInt32.max)), user: []) { $0.seed = $1.int.map(UInt32.init) },
        SettingKey("greedyProposal", .bool, user: []) { $0.greedyProposal = $1.flag },
        SettingKey("agreement", .bool, user: []) { $0.agreement = $1.flag },
        SettingKey("answerMaxTokens", .integer(tokens), user: []) { $0.answerMaxTokens = $1.int },
        SettingKey("aggregation", .choice(AggregationStyle.allCases.map(\.rawValue)), user: []) {
            $0.aggregation = $1.text.flatMap(AggregationStyle.init(rawValue:))
        },
        SettingKey("proposerTemperature", .number(0...2), user: []) { $0.proposerTemperature = $1.real },
        SettingKey("aggregatorTemperature", .number(0...2), user: []) { $0.aggregatorTemperature = $1.real },
        SettingKey("window", .integer(3...64), user: []) { $0.window = $1.int },
        SettingKey("reserved", .integer(1...63), user: []) { $0.reserved = $1.int },
        SettingKey("prefixReuse", .bool, user: []) { $0.prefixReuse = $1.flag },
        SettingKey("proposerModels", .strings, user: []) { $0.proposerModels = $1.list },
        SettingKey("infill", .bool, user: [], experimental: code) { $0.infill = $1.flag },
        SettingKey("escalate", .bool, user: [], experimental: [.complete]) { $0.escalate = $1.flag },
        SettingKey("correctUnparsed", .bool, user: [], experimental: [.complete]) { $0.correctUnparsed = $1.flag },
        SettingKey("headerDeclarations", .bool, user: [], experimental: [.complete, .completion]) {
            $0.headerDeclarations = $1.flag
        },
        SettingKey("similarCode", .bool, user: [], experimental: [.complete, .completion]) { $0.similarCode = $1.flag },
        SettingKey("wholeFunctionMode", .choice(modes), user: [], experimental: [.complete]) {
            $0.wholeFunctionMode = $1.text.flatMap(SelfMoAMode.init(rawValue:))
        },
    ]

    /// The keys a client may set at the top level, for every action at once.
    public static let global: [String] = ["samples", "mode", "seed"]
}

extension SettingValue {
    var int: Int? {
        if case .integer(let value) = self { return value }
        return nil
    }

    var real: Double? {
        switch self {
        case .number(let value): return value
        case .integer(let value): return Double(value)
        default: return nil
        }
    }

    var flag: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    var text: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    var list: [String]? {
        if case .strings(let value) = self { return value }
        return nil
    }
}
