/// Cuts what an answer repeats of the text around the insertion.
///
/// Models asked for the code at a cursor often restate the line or function they were in, or
/// run on into the code that follows (a closing brace, the next statement). Lines are compared
/// without surrounding whitespace, blank lines skipped. A repeated start is cut when it matches
/// the lines right before the insertion and is more than punctuation; a repeated end when it
/// matches the start of what follows and cutting it does not unbalance the brackets (so a `}`
/// that closes the answer's own block stays). On the cursor's line the same is done with the
/// text before and after the cursor.
enum OverlapTrimmer {
    /// The code without lines repeating `before` and without a repeat of `lead`. When the whole
    /// first line repeated `lead`, an empty first line is left: the code goes on a new line.
    static func trimPrefix(_ code: [String], before: ArraySlice<String>, lead: String) -> [String] {
        var code = code
        let previous = before.filter { !$0.isBlank }.suffix(40).map(\.trimmed)
        let positions = code.indices.filter { !code[$0].isBlank }
        for count in stride(from: min(positions.count, previous.count), through: 1, by: -1) {
            let repeated = positions.prefix(count).map { code[$0].trimmed }
            guard repeated == Array(previous.suffix(count)), repeated.contains(where: isSubstantial) else { continue }
            code.removeSubrange(...positions[count - 1])
            while let first = code.first, first.isBlank { code.removeFirst() }
            break
        }
        let leadText = lead.trimmed
        if !leadText.isEmpty, let first = code.firstIndex(where: { !$0.isBlank }) {
            let line = String(code[first].drop { $0 == " " || $0 == "\t" })
            if line.hasPrefix(leadText) {
                var rest = String(line.dropFirst(leadText.count))
                if lead.last?.isWhitespace == true { rest = String(rest.drop { $0 == " " || $0 == "\t" }) }
                code[first] = rest
                code.removeSubrange(..<first)
            }
        }
        return code
    }

    /// The code without a tail repeating `tail` and the lines of `after`.
    static func trimSuffix(_ code: [String], after: ArraySlice<String>, tail: String) -> [String] {
        var code = code
        let tailText = tail.trimmed
        if !tailText.isEmpty, let last = code.lastIndex(where: { !$0.isBlank }) {
            let line = code[last].trailingTrimmed
            if line.hasSuffix(tailText) {
                var cut = code
                cut[last] = String(line.dropLast(tailText.count)).trailingTrimmed
                if cut[last].isEmpty { cut.removeSubrange(last...) }
                if abs(balance(cut)) <= abs(balance(code)) { code = cut }
            }
        }
        let following = after.filter { !$0.isBlank }.prefix(40).map(\.trimmed)
        let total = balance(code)
        for start in code.indices where !code[start].isBlank {
            let rest = code[start...].filter { !$0.isBlank }.map(\.trimmed)
            guard rest.count <= following.count, rest == Array(following.prefix(rest.count)) else { continue }
            let kept = Array(code[..<start])
            let remaining = balance(kept)
            let accept = rest.contains(where: isSubstantial) ? abs(remaining) <= abs(total) : abs(remaining) < abs(total)
            if accept {
                code = kept
                break
            }
        }
        while let last = code.last, last.isBlank { code.removeLast() }
        return code
    }

    /// More than punctuation and a keyword or two: worth treating as a real repeat.
    private static func isSubstantial(_ line: String) -> Bool {
        line.count >= 4 && line.contains { $0.isLetter || $0.isNumber }
    }

    private static func balance(_ lines: [String]) -> Int {
        lines.reduce(0) { $0 + SourceLine.bracketBalance($1) }
    }
}
