/// What a review of changes reviews: each changed function once (the innermost function around
/// a changed line; a whole small file that has none; otherwise the block around the line), in
/// diff order, at most `limit` of them; and what it leaves out, with the reason.
public struct ChangePlan: Sendable, Hashable {
    /// One piece of a changed file to review.
    public struct Unit: Sendable, Hashable {
        public var path: String
        public var language: String
        /// The lines reviewed, 0-based.
        public var lines: Range<Int>
        /// The changed lines within them, 0-based: findings are reported on these.
        public var changedLines: [Int]
    }

    public var units: [Unit]
    /// Units beyond the limit, not reviewed.
    public var skippedUnits: Int
    /// Files left out and why ("binary", "deleted", "not UTF-8 text").
    public var notes: [String]
    /// The new side's text of each file with units.
    public var texts: [String: String]

    /// The largest file reviewed whole when it has no functions, in lines.
    public static let smallFileLines = 80

    /// Plans the review of `files` (each with its new side's text, `nil` when it is not text).
    public static func make(_ files: [(file: DiffFile, text: String?)], limit: Int) -> ChangePlan {
        var units: [Unit] = []
        var notes: [String] = []
        var texts: [String: String] = [:]
        for (file, text) in files {
            switch file.status {
            case .binary:
                notes.append("\(file.path): binary, not reviewed")
                continue
            case .deleted:
                notes.append("\(file.path): deleted, nothing to review")
                continue
            default:
                break
            }
            guard let text else {
                notes.append("\(file.path): not UTF-8 text, not reviewed")
                continue
            }
            let lines = SourceText(text).lines
            let changed = file.status == .added ? Array(lines.indices) : file.changedLines.filter { lines.indices.contains($0) }.sorted()
            guard !changed.isEmpty, lines.contains(where: { !$0.isBlank }) else { continue }
            texts[file.path] = text
            let language = LanguageID.of(path: file.path)
            var fileUnits: [Range<Int>] = []
            let functions = functionBlocks(lines)
            for line in changed where !lines[line].isBlank && !fileUnits.contains(where: { $0.contains(line) }) {
                let unit: Range<Int>
                if let innermost = functions.filter({ $0.contains(line) }).min(by: { $0.count < $1.count }) {
                    unit = innermost
                } else if lines.count <= smallFileLines {
                    unit = 0..<lines.count
                } else {
                    unit = BlockFinder.enclosingBlock(in: lines, around: line)
                }
                fileUnits.append(unit)
            }
            // A unit inside another (a function inside the whole small file) is reviewed with it.
            let outermost = fileUnits.filter { unit in
                !fileUnits.contains { $0 != unit && $0.lowerBound <= unit.lowerBound && unit.upperBound <= $0.upperBound }
            }
            for unit in outermost.sorted(by: { $0.lowerBound < $1.lowerBound }) {
                let inside = changed.filter { unit.contains($0) }
                guard inside.contains(where: { !lines[$0].isBlank }) else { continue }
                units.append(Unit(path: file.path, language: language, lines: unit, changedLines: inside))
            }
        }
        let skipped = max(units.count - max(limit, 0), 0)
        return ChangePlan(units: Array(units.prefix(max(limit, 0))), skippedUnits: skipped, notes: notes, texts: texts)
    }

    /// Every function's lines in `lines` (nested ones too).
    static func functionBlocks(_ lines: [String]) -> [Range<Int>] {
        var blocks: [Range<Int>] = []
        for index in lines.indices where !lines[index].isBlank && !SourceLine.isComment(lines[index]) {
            guard BlockFinder.opensBlock(lines, index) else { continue }
            let header = BlockFinder.header(at: index, in: lines)
            guard header.opening == index, BlockFinder.isFunction(header, in: lines) else { continue }
            blocks.append(BlockFinder.block(of: header, in: lines))
        }
        return blocks
    }
}
