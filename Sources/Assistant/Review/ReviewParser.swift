/// Reads findings out of a model's review, as leniently as is safe.
///
/// The prompt asks for `L<line> <severity>: <problem>` lines, each optionally followed by a
/// fenced fix; small models deviate, so this also accepts list bullets and numbering, bold and
/// backticks, headings, `Line 12:`, `Lines 3-5`, `L3-L5`, `line 12 (error):`, a severity before
/// the location (`[error] L12: …`), a bare `12: error: …`, a missing severity (`warning`), and
/// synonyms (`bug`, `critical` → error; `note`, `suggestion` → info; `nit` → hint). A message
/// may continue on the lines right below it. Line numbers are the 1-based ones shown to the
/// model; they become 0-based, reversed ranges are put right, ranges are clamped to the
/// document (a fix for a clamped range is dropped, it was written for other lines), and findings
/// starting past its end are dropped. Duplicates are merged (`FindingMerger`).
enum ReviewParser {
    struct Output: Hashable {
        var findings: [Finding]
        /// The reply said there was nothing to report (`NO ISSUES`, "No problems found.").
        var saidNoIssues: Bool
    }

    private static let severityWords =
        "errors?|warnings?|warn|info|information|notes?|hints?|bugs?|critical|fatal|severe|high|medium|low|major|minor|"
        + "issues?|problems?|suggestions?|style|nits?|nitpick|improvements?"
    private static let location =
        "`?(?:(?:on|at|in)\\s+)?(?:lines?|ln\\.?|l\\.?)\\s*#?\\s*(?<start>\\d+)"
        + "(?:\\s*(?:-|–|—|to|\\.\\.|through)\\s*(?:lines?|l)?\\s*(?<end>\\d+))?`?"
    private static let findingPattern =
        "^(?:[\\[(]?(?<sev1>\(severityWords))\\b[\\])]?\\s*[:\\-–—|]?\\s*)?"
        + "[\\[(]?\\s*\(location)\\s*[\\])]?"
        + "\\s*(?:[\\[(]\\s*(?<sev2>\(severityWords))\\s*[\\])])?"
        + "\\s*[:\\-–—,|.]?\\s*"
        + "(?:(?<sev3>\(severityWords))\\s*[:\\-–—|]\\s*)?"
        + "(?<message>.*)$"
    private static let barePattern =
        "^(?<start>\\d+)(?:\\s*-\\s*(?<end>\\d+))?\\s*[:|]?\\s*(?<sev3>\(severityWords))\\s*[:\\-–—|]\\s*(?<message>.*)$"

    private struct Draft {
        var start: Int
        var end: Int
        var severity: Finding.Severity
        var message: String
        var replacement: String?
    }

    static func parse(_ text: String, lineCount: Int) -> Output {
        let finding = try! Regex(findingPattern).ignoresCase()
        let bare = try! Regex(barePattern).ignoresCase()
        var drafts: [Draft] = []
        var saidNoIssues = false
        var fence: [String]?
        var continuing = false

        for raw in text.splitLines {
            let trimmed = raw.trimmed
            if var body = fence {
                if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                    if !drafts.isEmpty, drafts[drafts.count - 1].replacement == nil {
                        drafts[drafts.count - 1].replacement = fixText(body)
                    }
                    fence = nil
                } else {
                    body.append(raw)
                    fence = body
                }
                continue
            }
            if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") {
                fence = []
                continuing = false
                continue
            }
            if trimmed.isEmpty {
                continuing = false
                continue
            }
            let line = cleaned(trimmed)
            if let match = (try? finding.wholeMatch(in: line)) ?? (try? bare.wholeMatch(in: line)),
                let start = match.output["start"]?.substring.flatMap({ Int($0) }) {
                let end = match.output["end"]?.substring.flatMap { Int($0) } ?? start
                let word = ["sev1", "sev2", "sev3"].lazy.compactMap { match.output[$0]?.substring }.first
                let message = String(match.output["message"]?.substring ?? "").trimmed
                drafts.append(Draft(
                    start: start, end: end, severity: word.map { severity(String($0)) } ?? .warning,
                    message: message.trimmingSeparators
                ))
                continuing = true
                continue
            }
            if isNoIssues(line) {
                saidNoIssues = true
                continuing = false
                continue
            }
            if continuing, !isLabel(line), !startsListItem(trimmed), !drafts.isEmpty {
                let message = drafts[drafts.count - 1].message
                drafts[drafts.count - 1].message = message.isEmpty ? line : message + " " + line
            } else {
                continuing = false
            }
        }

        var findings: [Finding] = []
        for draft in drafts {
            let first = min(draft.start, draft.end)
            let last = max(draft.start, draft.end)
            guard !draft.message.isEmpty, first <= lineCount, lineCount > 0 else { continue }
            let start = max(first - 1, 0)
            var end = max(last - 1, start)
            var replacement = draft.replacement
            if end >= lineCount {
                end = lineCount - 1
                replacement = nil
            }
            findings.append(Finding(
                startLine: start, endLine: end, severity: draft.severity, message: draft.message, replacement: replacement
            ))
        }
        return Output(findings: FindingMerger.merge(findings), saidNoIssues: saidNoIssues && findings.isEmpty)
    }

    /// The severity a word stands for.
    static func severity(_ word: String) -> Finding.Severity {
        let word = word.lowercased()
        let stem = word.hasSuffix("s") && word.count > 4 ? String(word.dropLast()) : word
        switch stem {
        case "error", "bug", "critical", "fatal", "severe", "high": return .error
        case "info", "information", "note", "suggestion", "style", "low", "minor", "improvement": return .info
        case "hint", "nit", "nits", "nitpick": return .hint
        default: return .warning
        }
    }

    /// Without list markers, heading marks, bold and italic underscores.
    private static func cleaned(_ line: String) -> String {
        var text = line.replacingAll("**", with: "").replacingAll("__", with: "")
        while true {
            let before = text
            if let first = text.first, "-*+•>".contains(first) {
                text = String(text.dropFirst()).trimmed
            } else if text.hasPrefix("#") {
                text = String(text.drop { $0 == "#" }).trimmed
            } else if let dot = text.firstIndex(where: { $0 == "." || $0 == ")" }), dot > text.startIndex,
                text[..<dot].allSatisfy(\.isNumber), text.index(after: dot) < text.endIndex,
                text[text.index(after: dot)] == " " {
                text = String(text[text.index(after: dot)...]).trimmed
            }
            if text == before { return text }
        }
    }

    private static func isNoIssues(_ line: String) -> Bool {
        let words = line.lowercased().split { !$0.isLetter }.joined(separator: " ")
        return words == "none" || words == "lgtm"
            || ["no issues", "no issue", "no problems", "no problem found", "no bugs", "no real problems"]
                .contains { words.hasPrefix($0) }
    }

    /// A short line ending in a colon that introduces a fix ("Fix:", "Suggested fix:").
    private static func isLabel(_ line: String) -> Bool {
        line.hasSuffix(":") && line.count <= 40 && !line.contains { $0.isNumber }
    }

    private static func startsListItem(_ line: String) -> Bool {
        guard let first = line.first else { return false }
        return "-*+•#".contains(first) || (first.isNumber && line.contains(". "))
    }

    /// The fenced fix without the line numbers a model may have copied from the prompt.
    static func fixText(_ lines: [String]) -> String? {
        var lines = lines
        while let first = lines.first, first.isBlank { lines.removeFirst() }
        while let last = lines.last, last.isBlank { lines.removeLast() }
        guard !lines.isEmpty else { return nil }
        let numbered = try! Regex("^\\s*\\d+\\s*\\| ?")
        if lines.allSatisfy({ $0.isBlank || (try? numbered.prefixMatch(in: $0)) != nil }) {
            lines = lines.map { line in
                guard let match = try? numbered.prefixMatch(in: line) else { return line }
                return String(line[match.range.upperBound...])
            }
        }
        return lines.joined(separator: "\n")
    }
}

extension String {
    /// Every occurrence of `target` replaced (without Foundation).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = self[...]
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound] + replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }

    /// Without separators and spaces at either end (`- `, `: `, `|`).
    var trimmingSeparators: String {
        let separators: Set<Character> = [":", "-", "–", "—", "|", " ", "\t"]
        var text = Substring(self)
        while let first = text.first, separators.contains(first) { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}
