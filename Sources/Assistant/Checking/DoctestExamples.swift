/// Finds the doctest examples the user's own code states for a place in a Python file: the
/// `>>>` examples in the docstring of the function being written.
///
/// The function is the first `def` inside the focus (a selection that includes the signature),
/// else the nearest `def` above it. Its docstring is the string literal opening the body
/// (`"""…"""` or `'''…'''`, with an optional `r`/`u` prefix). Only the user's text is read, never a
/// candidate's, so a candidate cannot write the examples it is judged by.
enum DoctestExamples {
    /// The docstring's text when it holds at least one `>>>` example, else `nil`.
    static func docstring(in lines: [String], focus: Range<Int>) -> String? {
        let focus = focus.clamped(to: 0..<lines.count)
        guard !lines.isEmpty else { return nil }
        let start = focus.isEmpty ? min(focus.lowerBound, lines.count - 1) : focus.lowerBound
        let definition = focus.first { isDefinition(lines[$0]) }
            ?? (0...start).reversed().first { isDefinition(lines[$0]) }
        guard let definition else { return nil }
        // The signature ends at the first line ending with ':' (after any comment is cut).
        guard let signatureEnd = (definition..<lines.count).first(where: { code(of: lines[$0]).hasSuffix(":") }) else {
            return nil
        }
        guard let opening = (signatureEnd + 1..<lines.count).first(where: { !lines[$0].trimmed.isEmpty }) else {
            return nil
        }
        var text = Substring(lines[opening].trimmed)
        if let prefix = text.first, "rRuU".contains(prefix) { text = text.dropFirst() }
        guard let delimiter = ["\"\"\"", "'''"].first(where: { text.hasPrefix($0) }) else { return nil }
        text = text.dropFirst(3)
        var body: [String] = []
        if let close = text.range(of: delimiter) {
            body.append(String(text[..<close.lowerBound]))
        } else {
            body.append(String(text))
            var index = opening + 1
            var closed = false
            while index < lines.count {
                if let close = lines[index].range(of: delimiter) {
                    body.append(String(lines[index][..<close.lowerBound]))
                    closed = true
                    break
                }
                body.append(lines[index])
                index += 1
            }
            guard closed else { return nil }
        }
        let docstring = body.joined(separator: "\n")
        return docstring.contains(">>>") ? docstring : nil
    }

    /// The number of `>>>` examples in `docstring`.
    static func count(in docstring: String) -> Int {
        docstring.split(whereSeparator: \.isNewline).filter { $0.drop(while: \.isWhitespace).hasPrefix(">>>") }.count
    }

    static func isDefinition(_ line: String) -> Bool {
        let text = line.trimmed
        return text.hasPrefix("def ") || text.hasPrefix("async def ")
    }

    private static func code(of line: String) -> String {
        let withoutComment = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(withoutComment).trimmed
    }
}
