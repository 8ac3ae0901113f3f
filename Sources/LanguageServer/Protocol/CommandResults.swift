import Assistant
import JSON

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

/// The response of `selfmoa.reviewChanges`: the findings on changed lines, what was reviewed and
/// skipped, and what it all cost (`nil` when nothing was reviewed).
struct ReviewChangesCommandResult: Encodable, Sendable {
    var root: String
    var revision: String?
    var findings: [ChangeFindingValue]
    var reviewed: Int
    var skipped: Int
    var notes: [String]
    var stats: CostReport?

    private enum CodingKeys: String, CodingKey { case root, revision, findings, reviewed, skipped, notes, stats }

    /// `revision` and `stats` are sent as `null` when absent, as protocol/README.md says.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(root, forKey: .root)
        try container.encode(revision.map(JSONValue.string) ?? .null, forKey: .revision)
        try container.encode(findings, forKey: .findings)
        try container.encode(reviewed, forKey: .reviewed)
        try container.encode(skipped, forKey: .skipped)
        try container.encode(notes, forKey: .notes)
        if let stats { try container.encode(stats, forKey: .stats) } else { try container.encode(JSONValue.null, forKey: .stats) }
    }
}

/// The response of `initialize`.
struct InitializeResult: Encodable, Sendable {
    var capabilities: JSONValue
    var serverInfo: JSONValue
}
