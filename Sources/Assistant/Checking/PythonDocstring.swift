/// Where a Python function's docstring is: the string literal opening its body (`"""…"""` or
/// `'''…'''`, with an optional `r`/`u` prefix), found from the function's `def` line.
enum PythonDocstring {
    /// The docstring's lines (from the opening to the closing quotes) and its text between the
    /// quotes, or `nil` when the body does not open with one (or it is never closed).
    static func find(in lines: [String], definition: Int) -> (lines: ClosedRange<Int>, text: String)? {
        guard lines.indices.contains(definition) else { return nil }
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
        if let close = text.range(of: delimiter) {
            return (opening...opening, String(text[..<close.lowerBound]))
        }
        var body = [String(text)]
        for index in opening + 1..<lines.count {
            if let close = lines[index].range(of: delimiter) {
                body.append(String(lines[index][..<close.lowerBound]))
                return (opening...index, body.joined(separator: "\n"))
            }
            body.append(lines[index])
        }
        return nil
    }

    private static func code(of line: String) -> String {
        let withoutComment = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return String(withoutComment).trimmed
    }
}
