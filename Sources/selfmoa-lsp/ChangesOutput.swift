import Assistant
import Foundation
import JSON

/// How `review --changes` prints its findings.
enum ChangesFormat: String, CaseIterable {
    case text, json, sarif
}

/// Which findings make `review --changes` exit 1.
enum FailOn: String, CaseIterable {
    case error, warning, never

    /// Whether a finding of `severity` fails the run.
    func fails(_ severity: Finding.Severity) -> Bool {
        switch self {
        case .error: return severity >= .error
        case .warning: return severity >= .warning
        case .never: return false
        }
    }
}

/// The findings of a review of changes, in the three formats.
struct ChangesOutput {
    var root: String
    var revision: String?
    var review: ChangeReview

    /// `path:line: severity: message`, one per finding (the form compilers print, which Vim's
    /// quickfix and Emacs's compilation-mode read), the fix indented below it.
    var text: String {
        review.sortedFindings.map { path, finding in
            var line = "\(path):\(finding.startLine + 1): \(finding.severity.rawValue): \(finding.message)"
            if let replacement = finding.replacement {
                line += "\n" + replacement.split(separator: "\n", omittingEmptySubsequences: false).map { "    | \($0)" }.joined(separator: "\n")
            }
            return line
        }.joined(separator: "\n")
    }

    struct Item: Encodable {
        var path: String
        var startLine: Int
        var endLine: Int
        var severity: Finding.Severity
        var message: String
        var replacement: String?
    }

    struct Reviewed: Encodable {
        var path: String
        var startLine: Int
        var endLine: Int
        var seconds: Double
        var forwardPasses: Int
        var findings: Int
    }

    struct Report: Encodable {
        var root: String
        var revision: String?
        var findings: [Item]
        var reviewed: [Reviewed]
        var skippedFunctions: Int
        var notes: [String]
        var seconds: Double
        var forwardPasses: Int
        /// The cost report of every review together, as the other commands give it.
        var stats: CostReport?
    }

    /// Everything, with 1-based lines.
    var report: Report {
        Report(
            root: root, revision: revision,
            findings: review.sortedFindings.map {
                Item(path: $0.path, startLine: $0.finding.startLine + 1, endLine: $0.finding.endLine + 1,
                     severity: $0.finding.severity, message: $0.finding.message, replacement: $0.finding.replacement)
            },
            reviewed: review.reviewed.map {
                Reviewed(path: $0.path, startLine: $0.startLine + 1, endLine: $0.endLine + 1, seconds: $0.seconds,
                         forwardPasses: $0.forwardPasses, findings: $0.findings)
            },
            skippedFunctions: review.skippedUnits, notes: review.notes,
            seconds: review.reviewed.reduce(0) { $0 + $1.seconds },
            forwardPasses: review.reviewed.reduce(0) { $0 + $1.forwardPasses }, stats: review.cost)
    }

    /// A SARIF 2.1.0 log: one run, one rule (`selfmoa.review`), a result per finding with its
    /// region and, where the finding has one, the fix; paths relative to `%SRCROOT%`.
    var sarif: JSONValue {
        let results: [JSONValue] = review.sortedFindings.map { path, finding in
            let location: JSONValue = [
                "physicalLocation": [
                    "artifactLocation": ["uri": .string(Self.uri(path)), "uriBaseId": "%SRCROOT%"],
                    "region": ["startLine": .int(Int64(finding.startLine + 1)), "endLine": .int(Int64(finding.endLine + 1))],
                ],
            ]
            var result: [String: JSONValue] = [
                "ruleId": "selfmoa.review",
                "level": .string(Self.level(finding.severity)),
                "message": ["text": .string(finding.message)],
                "locations": [location],
            ]
            if let replacement = finding.replacement {
                result["fixes"] = [[
                    "description": ["text": "The repair most reviews agreed on"],
                    "artifactChanges": [[
                        "artifactLocation": ["uri": .string(Self.uri(path)), "uriBaseId": "%SRCROOT%"],
                        "replacements": [[
                            "deletedRegion": ["startLine": .int(Int64(finding.startLine + 1)), "endLine": .int(Int64(finding.endLine + 1))],
                            "insertedContent": ["text": .string(replacement + "\n")],
                        ]],
                    ]],
                ]]
            }
            return .object(result)
        }
        return [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [[
                "tool": ["driver": [
                    "name": "selfmoa-lsp",
                    "informationUri": "https://github.com/selfmoa-lsp/selfmoa-lsp",
                    "rules": [[
                        "id": "selfmoa.review",
                        "name": "SelfMoAReview",
                        "shortDescription": ["text": "A problem a Self-MoA review found on a changed line"],
                        "defaultConfiguration": ["level": "warning"],
                    ]],
                ]],
                "originalUriBaseIds": ["%SRCROOT%": ["uri": .string(Self.directoryURI(root))]],
                "results": .array(results),
            ]],
        ]
    }

    /// SARIF's level of a severity.
    static func level(_ severity: Finding.Severity) -> String {
        switch severity {
        case .error: return "error"
        case .warning: return "warning"
        case .info, .hint: return "note"
        }
    }

    /// A relative path as a URI reference (percent-encoded, `/` kept).
    static func uri(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
    }

    /// `file:///root/` for a directory.
    static func directoryURI(_ root: String) -> String {
        URL(fileURLWithPath: root, isDirectory: true).absoluteString
    }
}
