/// The stop sequences of a fill-in-the-middle request: where generation can end early because
/// the model has run past the hole (into a markdown fence, or into the text after the cursor).
/// What still runs past is cut by the engine (`InfillCleanup` in SelfMoA), the one place that
/// cleans infill output.
public enum InfillStops {
    /// Stop sequences for an infill request: the caller's, a markdown fence (unless the file has
    /// fences), and the suffix's first line when it is distinctive.
    public static func stopSequences(for request: InfillRequest) -> [String] {
        var stop = request.options.stop
        if !(request.prefix.contains("```") || request.suffix.contains("```")) {
            stop.append("\n```")
        }
        if let line = nonBlankLines(request.suffix).first, isDistinctive(line) {
            stop.append(line)
        }
        var seen = Set<String>()
        return stop.filter { seen.insert($0).inserted }
    }

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

