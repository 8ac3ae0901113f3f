/// Finds the doctest examples the user's own code states for a place in a Python file: the
/// `>>>` examples in the docstring of the function being written.
///
/// The function is the first `def` inside the focus (a selection that includes the signature),
/// else the nearest `def` above it; its docstring is found by `PythonDocstring`. Only the user's
/// text is read, never a candidate's, so a candidate cannot write the examples it is judged by.
enum DoctestExamples {
    /// The docstring's text when it holds at least one `>>>` example, else `nil`.
    static func docstring(in lines: [String], focus: Range<Int>) -> String? {
        let focus = focus.clamped(to: 0..<lines.count)
        guard !lines.isEmpty else { return nil }
        let start = focus.isEmpty ? min(focus.lowerBound, lines.count - 1) : focus.lowerBound
        let definition = focus.first { isDefinition(lines[$0]) }
            ?? (0...start).reversed().first { isDefinition(lines[$0]) }
        guard let definition, let docstring = PythonDocstring.find(in: lines, definition: definition)?.text else { return nil }
        return docstring.contains(">>>") ? docstring : nil
    }

    /// The number of `>>>` examples in `docstring`.
    static func count(in docstring: String) -> Int {
        docstring.split(whereSeparator: \.isNewline).filter { $0.drop(while: \.isWhitespace).hasPrefix(">>>") }.count
    }

    /// Whether `line` starts a Python function (`def`, `async def`).
    static func isDefinition(_ line: String) -> Bool {
        let text = line.trimmed
        return text.hasPrefix("def ") || text.hasPrefix("async def ")
    }
}
