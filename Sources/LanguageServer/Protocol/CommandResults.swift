import Assistant

/// The response of `selfmoa.explain` (`protocol/schemas/command-results.schema.json`).
struct ExplainCommandResult: Encodable, Sendable {
    var markdown: String
    var stats: CostReport
}

/// The response of `selfmoa.ask`.
struct AskCommandResult: Encodable, Sendable {
    var question: String
    var markdown: String
    var stats: CostReport
}

/// The response of `selfmoa.review`: the findings as published, on the reviewed version's lines.
struct ReviewCommandResult: Encodable, Sendable {
    var markdown: String
    var findings: [FindingValue]
    var stats: CostReport
}

/// The response of `selfmoa.complete`: the code, where it goes, whether the editor applied it
/// (and why not), and the imports that came with it.
struct CompleteCommandResult: Encodable, Sendable {
    /// The standard-library imports inserted with the code, and their edit.
    struct Imports: Encodable, Sendable {
        var statements: [String]
        var edit: TextEdit
    }

    var applied: Bool
    var code: String
    var range: LSPRange
    var imports: Imports?
    var stats: CostReport
    var reason: String?
}
