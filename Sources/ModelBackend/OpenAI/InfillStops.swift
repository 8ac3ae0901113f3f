/// The stop sequences of a fill-in-the-middle request: where generation can end early because
/// the model has run past the hole (into a markdown fence, or into the text after the cursor).
/// What still runs past is cut by the engine (`InfillCleanup` in SelfMoA), the one place that
/// cleans infill output.
public enum InfillStops {
    /// Stop sequences for an infill request: the caller's, a markdown fence (unless the file has
    /// fences), the suffix's first line when it is distinctive, the close of the block the
    /// cursor is in (`blockClose`), and the start of a definition where the suffix goes on with
    /// one less indented than the cursor (`nextDefinition`).
    public static func stopSequences(for request: InfillRequest) -> [String] {
        var stop = request.options.stop
        if !(request.prefix.contains("```") || request.suffix.contains("```")) {
            stop.append("\n```")
        }
        if let line = nonBlankLines(request.suffix).first, isDistinctive(line) {
            stop.append(line)
        }
        if let close = blockClose(suffix: request.suffix) {
            stop.append(close)
        }
        stop += nextDefinition(prefix: request.prefix, suffix: request.suffix)
        var seen = Set<String>()
        return stop.filter { seen.insert($0).inserted }
    }

    /// Where the text after the cursor goes on with the close of the cursor's block (its first
    /// non-blank line starts with `}`, `)` or `]`): a new line, that line's indentation and the
    /// bracket. A model that writes it has closed the block — lines inside the block are
    /// indented deeper — so the rest of what it writes is cut anyway (`InfillCleanup`), and
    /// stopping there saves the time of writing it: small models go on into the next functions
    /// until their token cap.
    public static func blockClose(suffix: String) -> String? {
        guard let line = suffix.split(separator: "\n").first(where: { !$0.allSatisfy(\.isWhitespace) }) else { return nil }
        let indentation = line.prefix { $0 == " " || $0 == "\t" }
        guard let bracket = line.dropFirst(indentation.count).first, "})]".contains(bracket) else { return nil }
        return "\n" + indentation + String(bracket)
    }

    /// Where the text after the cursor goes on with a definition (`def`, `class`, `async def`, a
    /// decorator) less indented than the cursor's line — in Python, the next function after the
    /// one being written, or a class's next method: a new line at that definition's indentation
    /// starting another definition. The body being written cannot continue there (its lines are
    /// indented deeper); small models go on there with functions nobody asked for, until their
    /// token cap, and the clean-up cuts them anyway (`CodeCleanup` in Assistant).
    public static func nextDefinition(prefix: String, suffix: String) -> [String] {
        guard let line = suffix.split(separator: "\n").first(where: { !$0.allSatisfy(\.isWhitespace) }) else { return [] }
        let cursorLine = prefix.split(separator: "\n", omittingEmptySubsequences: false).last ?? ""
        let cursorIndentation = cursorLine.prefix { $0 == " " || $0 == "\t" }
        let indentation = line.prefix { $0 == " " || $0 == "\t" }
        let text = line.dropFirst(indentation.count)
        guard indentation.count < cursorIndentation.count,
            definitionStarts.contains(where: { text.hasPrefix($0) })
        else { return [] }
        return definitionStarts.map { "\n" + indentation + $0 }
    }

    /// How a definition's line starts.
    static let definitionStarts = ["def ", "class ", "async def ", "@"]

    /// A line long enough that finding it again is not a coincidence.
    public static func isDistinctive(_ line: String) -> Bool {
        line.filter { !$0.isWhitespace && !"{}()[];,".contains($0) }.count >= 6
    }

    public static func nonBlankLines(_ text: String) -> [String] {
        text.split(separator: "\n").map { $0.trimmed() }.filter { !$0.isEmpty }
    }
}

extension StringProtocol {
    fileprivate func trimmed() -> String {
        var slice = self[...]
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return String(slice)
    }
}

