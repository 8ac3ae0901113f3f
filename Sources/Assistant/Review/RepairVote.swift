/// Findings from several repairs of one function: the lines most of them change.
///
/// Each repair is the model's answer to "return this function corrected" (`RepairPrompt`).
/// Its code is aligned with the original line by line (`RepairAlignment`: lines compared
/// without indentation and inner runs of spaces, blank and comment lines skipped, so
/// re-indenting the function or adding a remark changes nothing; nor does rewording a Python
/// function's docstring, whose lines never vote). A repair with no code, or
/// one that changes more than half of the function's lines (a rewrite, not a fix), does not
/// vote. Every other repair votes for the original lines it changes. Lines that more than half
/// of all the repairs asked for vote for become findings, so an unusable or failed repair
/// counts against a finding, never for it; flagged lines at most `joinGap` apart are one
/// finding (a guard and its `else`). The fix is the text most of the voting repairs put there
/// (the shortest, then the first, on a tie), over the original lines between the lines that
/// repair left alone; the message is a repair's `Bug:` line, or says how many repairs changed
/// the lines and to what.
enum RepairVote {
    /// Flagged lines with at most this many unflagged lines between them make one finding.
    static let joinGap = 2

    /// One repair's answer, read.
    struct Repair {
        var code: [String]
        /// Its `Bug:` line, unless it said none.
        var reason: String?
    }

    /// Reads a repair answer: the code (`CodeExtractor`) and the reason line after it.
    static func read(_ answer: String) -> Repair {
        // The reason line sometimes lands inside the code block; it is never code.
        var code = CodeExtractor.extract(answer, marker: "").filter { reasonText(of: $0) == nil }
        while let last = code.last, last.isBlank { code.removeLast() }
        let reason = answer.splitLines.reversed().lazy.compactMap(reasonText).first
        let meaningful = reason.flatMap { reason -> String? in
            let letters = reason.lowercased().filter(\.isLetter)
            return letters.isEmpty || letters == "none" || letters.hasPrefix("nobug") || echoesTheRequest(letters) ? nil : reason
        }
        return Repair(code: code, reason: meaningful)
    }

    /// Whether a reason (its letters, lower case) copies the request's definition of a bug
    /// rather than naming one: it holds the definition's core ("what its name, comments and
    /// docstring say"), or is itself a piece of the definition.
    static func echoesTheRequest(_ letters: String) -> Bool {
        let definition = RepairPrompt.bugDefinition.lowercased().filter(\.isLetter)
        return letters.contains("itsnamecommentsanddocstring") || (letters.count >= 12 && definition.contains(letters))
    }

    /// The text after `Bug:` when `line` is a reason line (markdown emphasis allowed around it).
    static func reasonText(of line: String) -> String? {
        var text = Substring(line.trimmed)
        while let first = text.first, "*_`".contains(first) { text = text.dropFirst() }
        guard text.lowercased().hasPrefix(RepairPrompt.reasonPrefix.lowercased()) else { return nil }
        text = text.dropFirst(RepairPrompt.reasonPrefix.count)
        while let first = text.first, "*_` :".contains(first) { text = text.dropFirst() }
        while let last = text.last, "*_` .".contains(last) { text = text.dropLast() }
        return String(text)
    }

    /// Findings on document lines for the unit `unit` of `lines`, from the `answers` of `asked`
    /// repair requests (a failed request counts against every line). `attempts` names what was
    /// counted in the message.
    static func findings(
        answers: [String], asked: Int, lines: [String], unit: Range<Int>, attempts: String = "attempts to fix the function"
    ) -> [Finding] {
        guard !answers.isEmpty, !unit.isEmpty else { return [] }
        let asked = max(asked, answers.count)
        let original = Array(lines[unit])
        let countable = original.filter { !RepairAlignment.isIgnorable($0) }.count
        let repairs = answers.map(read)
        let docstring = original.indices.first { DoctestExamples.isDefinition(original[$0]) }
            .flatMap { PythonDocstring.find(in: original, definition: $0)?.lines }
        var votes = [Int](repeating: 0, count: original.count)
        var alignments: [RepairAlignment?] = []
        for repair in repairs {
            let alignment = repair.code.isEmpty ? nil : RepairAlignment(original: original, repaired: repair.code)
            let changed = alignment?.changedLines ?? []
            guard let alignment, !changed.isEmpty, changed.count * 2 <= max(countable, 1) else {
                alignments.append(nil)
                continue
            }
            alignments.append(alignment)
            for line in changed where docstring?.contains(line) != true { votes[line] += 1 }
        }
        let needed = asked / 2 + 1
        var findings: [Finding] = []
        var line = 0
        while line < original.count {
            guard votes[line] >= needed else {
                line += 1
                continue
            }
            var last = line
            var probe = line + 1
            while probe < original.count, probe - last <= joinGap + 1 {
                if votes[probe] >= needed { last = probe }
                probe += 1
            }
            let flagged = line...last
            findings.append(finding(
                flagged: flagged, votes: votes[flagged].max() ?? needed, of: asked, attempts: attempts, original: original,
                repairs: repairs, alignments: alignments, offset: unit.lowerBound
            ))
            line = last + 1
        }
        return findings
    }

    private static func finding(
        flagged: ClosedRange<Int>, votes: Int, of total: Int, attempts: String, original: [String], repairs: [Repair],
        alignments: [RepairAlignment?], offset: Int
    ) -> Finding {
        let voters = alignments.indices.filter { index in
            alignments[index].map { !$0.changedLines.isDisjoint(with: flagged) } ?? false
        }
        let fixes = voters.compactMap { voter in alignments[voter]?.replacement(covering: flagged).map { (voter, $0) } }
        func tally(_ text: [String]) -> Int { fixes.filter { $0.1.text.map(RepairAlignment.key) == text.map(RepairAlignment.key) }.count }
        let chosen = fixes.min { left, right in
            (-tally(left.1.text), left.1.text.count, left.0) < (-tally(right.1.text), right.1.text.count, right.0)
        }
        let span = chosen?.1.lines ?? flagged
        let reason = ((chosen.map { [$0.0] } ?? []) + voters).lazy.compactMap { repairs[$0].reason }.first
        let lines = flagged.count == 1 ? "this line" : "these lines"
        var message = reason.map { "\($0) (" } ?? ""
        message += "\(votes) of \(total) \(attempts) change \(lines)"
        if reason == nil, let text = chosen?.1.text, let line = closestNewLine(in: text, to: original[flagged], unit: original) {
            message += ", e.g. to `\(line)`"
        }
        message += reason == nil ? "." : ")."
        return Finding(
            startLine: span.lowerBound + offset, endLine: span.upperBound + offset, severity: .warning,
            message: message, replacement: chosen?.1.text.joined(separator: "\n")
        )
    }

    /// Of the fix's lines that are not in the function, the one sharing most words with the
    /// flagged lines: the changed line itself rather than a guard added around it.
    private static func closestNewLine(in fix: [String], to flagged: ArraySlice<String>, unit: [String]) -> String? {
        let existing = Set(unit.map(RepairAlignment.key))
        func words(_ text: String) -> Set<Substring> { Set(text.split { !$0.isLetter && !$0.isNumber && $0 != "_" }) }
        let target = flagged.reduce(into: Set<Substring>()) { $0.formUnion(words($1)) }
        let candidates = fix.map(\.trimmed).filter { !$0.isEmpty && !existing.contains(RepairAlignment.key($0)) }
        return candidates.enumerated().max { left, right in
            (words(left.element).intersection(target).count, -left.offset)
                < (words(right.element).intersection(target).count, -right.offset)
        }?.element
    }
}
