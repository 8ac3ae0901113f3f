/// A file in a unified diff (`git diff --unified=0`), as git reports it.
public struct DiffFile: Sendable, Hashable {
    /// What happened to the file.
    public enum Status: String, Sendable, Hashable, Codable {
        case added, modified, renamed, deleted, binary
    }

    /// The path on the new side (the old one for a deleted file), relative to the repository.
    public var path: String
    /// The path on the old side, when the file was renamed.
    public var oldPath: String?
    public var status: Status
    /// Lines of the new side the change touches, 0-based and in order: added or replaced lines,
    /// and for a pure deletion the lines on either side of where it was.
    public var changedLines: [Int]

    public init(path: String, oldPath: String? = nil, status: Status, changedLines: [Int] = []) {
        self.path = path
        self.oldPath = oldPath
        self.status = status
        self.changedLines = changedLines
    }
}

/// Reads git's unified diff into `DiffFile`s: the file headers (`diff --git`, new, deleted,
/// renamed, binary) and the new side's line numbers of each hunk header. A pure value
/// transformation; `GitChanges` runs git.
public enum DiffParser {
    public static func parse(_ diff: String) -> [DiffFile] {
        var files: [DiffFile] = []
        var current: DiffFile?
        func finish() {
            if var file = current {
                file.changedLines = Array(Set(file.changedLines)).sorted()
                files.append(file)
            }
            current = nil
        }
        for line in diff.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("diff --git ") {
                finish()
                let (old, new) = headerPaths(String(line.dropFirst("diff --git ".count)))
                current = DiffFile(path: new ?? old ?? "", oldPath: nil, status: .modified)
                continue
            }
            guard current != nil else { continue }
            if line.hasPrefix("new file mode") {
                current?.status = .added
            } else if line.hasPrefix("deleted file mode") {
                current?.status = .deleted
            } else if line.hasPrefix("rename from ") {
                current?.oldPath = unquote(String(line.dropFirst("rename from ".count)))
                current?.status = .renamed
            } else if line.hasPrefix("rename to ") {
                current?.path = unquote(String(line.dropFirst("rename to ".count)))
                current?.status = .renamed
            } else if line.hasPrefix("Binary files ") || line == "GIT binary patch" {
                current?.status = .binary
            } else if line.hasPrefix("--- ") || line.hasPrefix("+++ ") {
                let path = String(line.dropFirst(4))
                if line.hasPrefix("+++ "), path != "/dev/null" { current?.path = strip(unquote(path)) }
                if line.hasPrefix("--- "), path != "/dev/null", current?.status == .deleted { current?.path = strip(unquote(path)) }
            } else if line.hasPrefix("@@ "), let lines = hunkLines(line) {
                current?.changedLines += lines
            }
        }
        finish()
        return files
    }

    /// The new side's lines of a hunk header `@@ -a,b +c,d @@`, 0-based.
    static func hunkLines(_ header: String) -> [Int]? {
        let parts = header.split(separator: " ")
        guard parts.count >= 3, parts[2].hasPrefix("+") else { return nil }
        let numbers = parts[2].dropFirst().split(separator: ",").compactMap { Int($0) }
        guard let start = numbers.first else { return nil }
        let count = numbers.count > 1 ? numbers[1] : 1
        if count == 0 {
            // A pure deletion after line `start` (1-based): the lines around it.
            return [start - 1, start].filter { $0 >= 0 }
        }
        return Array((start - 1)..<(start - 1 + count))
    }

    /// The two paths of `a/OLD b/NEW` (quoted or not), without their prefixes.
    static func headerPaths(_ text: String) -> (String?, String?) {
        if text.hasPrefix("\""), let end = closingQuote(text) {
            let old = unquote(String(text[...end]))
            let rest = text[text.index(after: end)...].drop { $0 == " " }
            return (strip(old), strip(unquote(String(rest))))
        }
        // Unquoted: `a/X b/X` — split where ` b/` starts the second half.
        if let split = text.range(of: " b/", options: .backwards) {
            return (strip(String(text[..<split.lowerBound])), String(text[text.index(after: split.lowerBound)...]).dropPrefix("b/"))
        }
        return (nil, nil)
    }

    private static func closingQuote(_ text: String) -> String.Index? {
        var index = text.index(after: text.startIndex)
        while index < text.endIndex {
            if text[index] == "\\" {
                index = text.index(after: index)
            } else if text[index] == "\"" {
                return index
            }
            if index < text.endIndex { index = text.index(after: index) }
        }
        return nil
    }

    /// Removes git's `a/` or `b/` prefix.
    static func strip(_ path: String) -> String {
        path.hasPrefix("a/") || path.hasPrefix("b/") ? String(path.dropFirst(2)) : path
    }

    /// A path git quoted C-style (`"a/caf\303\251.py"`), unquoted; others as they are.
    static func unquote(_ text: String) -> String {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return text }
        var bytes: [UInt8] = []
        var characters = Array(text.utf8.dropFirst().dropLast())[...]
        while let byte = characters.popFirst() {
            guard byte == UInt8(ascii: "\\"), let next = characters.popFirst() else {
                bytes.append(byte)
                continue
            }
            switch next {
            case UInt8(ascii: "n"): bytes.append(10)
            case UInt8(ascii: "t"): bytes.append(9)
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                var value = Int(next - UInt8(ascii: "0"))
                for _ in 0..<2 {
                    guard let digit = characters.first, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(digit) else { break }
                    value = value * 8 + Int(digit - UInt8(ascii: "0"))
                    characters = characters.dropFirst()
                }
                bytes.append(UInt8(truncatingIfNeeded: value))
            default: bytes.append(next)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    fileprivate func dropPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self
    }
}
