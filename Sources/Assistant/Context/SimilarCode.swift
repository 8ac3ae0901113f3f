import SelfMoA

/// Code like the code around the cursor, from other files — those beside the file in its
/// directory, in its language (`Tools.NearbyFiles`) — to be shown to the model with the file
/// (`CodeContext.related`): the way the project writes what the cursor is about to write.
///
/// Small models copy a pattern they are shown far better than they use a declaration: a C++
/// model builder's body is the same locals (`n_embd_head`, `cur`, `inpL`) and calls as its
/// siblings', which the file alone does not show (bench/RESULTS.md §5.12).
///
/// The files are cut into windows of `windowLines` lines every `step` lines; a window's score is
/// the Jaccard similarity of its identifiers and those of the lines around the cursor (the
/// neighbouring-snippet measure of editor completion tools). The `maximumWindows` best windows
/// that do not overlap go in, best first, each at least `minimumScore`.
enum SimilarCode {
    /// Lines of one window.
    static let windowLines = 40
    /// Lines between the starts of two windows.
    static let step = 20
    /// Windows shown at most.
    static let maximumWindows = 2
    /// The least similarity a window must have to be shown.
    static let minimumScore = 0.05
    /// Lines before the cursor compared, and lines after it.
    static let linesBefore = 30
    static let linesAfter = 5
    /// Identifiers shorter than this do not count (`i`, `n`).
    static let shortestIdentifier = 2

    /// The windows of `files` (name shown to the model, text) most like the lines of `lines`
    /// around 0-based line `cursor`.
    static func related(around cursor: Int, of lines: [String], files: [(name: String, text: String)]) -> [RelatedCode] {
        guard !lines.isEmpty else { return [] }
        let line = min(max(cursor, 0), lines.count - 1)
        let near = identifiers(lines[max(0, line - linesBefore)..<min(lines.count, line + linesAfter + 1)])
        guard !near.isEmpty else { return [] }
        var scored: [(score: Double, file: Int, start: Int, lines: ArraySlice<String>)] = []
        for (index, file) in files.enumerated() {
            let fileLines = file.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            // Each line is in two windows: its identifiers are read once.
            let perLine = fileLines.map { identifiers(in: $0) }
            for start in stride(from: 0, to: max(fileLines.count - windowLines + step, 1), by: step) {
                let range = start..<min(fileLines.count, start + windowLines)
                let window = fileLines[range]
                var found: Set<Substring> = []
                for names in perLine[range] { found.formUnion(names) }
                let union = near.union(found).count
                guard union > 0 else { continue }
                let score = Double(near.intersection(found).count) / Double(union)
                if score >= minimumScore { scored.append((score, index, start, window)) }
            }
        }
        // Best first; ties keep the files' order, then the window's place.
        scored.sort { ($0.score, -$0.file, -$0.start) > ($1.score, -$1.file, -$1.start) }
        var chosen: [(file: Int, start: Int, lines: ArraySlice<String>)] = []
        for candidate in scored where chosen.count < maximumWindows {
            let overlaps = chosen.contains { $0.file == candidate.file && abs($0.start - candidate.start) < windowLines }
            if !overlaps { chosen.append((candidate.file, candidate.start, candidate.lines)) }
        }
        return chosen.map { RelatedCode(fileName: files[$0.file].name, text: trimmed($0.lines).joined(separator: "\n"), relation: .similar) }
    }

    /// The identifiers of `lines`, at least `shortestIdentifier` characters long.
    static func identifiers<S: Sequence>(_ lines: S) -> Set<Substring> where S.Element == String {
        var result: Set<Substring> = []
        for line in lines { result.formUnion(identifiers(in: line)) }
        return result
    }

    /// The identifiers of one line: runs of ASCII letters, digits, `_` and non-ASCII characters,
    /// not starting with a digit, read as UTF-8 bytes (fast on whole directories of files).
    static func identifiers(in line: String) -> [Substring] {
        var result: [Substring] = []
        let bytes = line.utf8
        var start: String.Index?
        var index = bytes.startIndex
        func close(at end: String.Index) {
            if let from = start, line[from..<end].count >= shortestIdentifier { result.append(line[from..<end]) }
            start = nil
        }
        while index < bytes.endIndex {
            let byte = bytes[index]
            let letter = byte == UInt8(ascii: "_") || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte >= 0x80
            let digit = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            if letter || (digit && start != nil) {
                if start == nil { start = index }
            } else {
                close(at: index)
            }
            index = bytes.index(after: index)
        }
        close(at: bytes.endIndex)
        return result
    }

    /// `lines` without blank lines at either end.
    private static func trimmed(_ lines: ArraySlice<String>) -> ArraySlice<String> {
        var result = lines
        while let first = result.first, first.allSatisfy(\.isWhitespace) { result = result.dropFirst() }
        while let last = result.last, last.allSatisfy(\.isWhitespace) { result = result.dropLast() }
        return result
    }
}
