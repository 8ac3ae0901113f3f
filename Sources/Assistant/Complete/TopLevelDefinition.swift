/// A top-level Python definition in an answer: a `def`, `class` or import, with the comments and
/// decorators right above it, and the names it binds.
struct TopLevelDefinition: Equatable {
    /// The definition's lines: its comments and decorators, header and indented body (without
    /// the blank lines after it).
    var lines: Range<Int>
    /// What it binds: the function or class name, or the imported names (`import a.b` binds `a`,
    /// `from m import x as y` binds `y`).
    var names: Set<Substring>

    /// The definitions from `start` (a top-level line) up to the first top-level line that is
    /// neither a definition nor a comment.
    static func scan(_ lines: [String], from start: Int) -> [TopLevelDefinition] {
        var found: [TopLevelDefinition] = []
        var index = start
        while index < lines.count {
            if lines[index].isBlank { index += 1; continue }
            var header = index
            while header < lines.count, lines[header].isBlank || lines[header].hasPrefix("#") || lines[header].hasPrefix("@") {
                header += 1
            }
            guard header < lines.count, let definedNames = bound(by: lines[header]) else { break }
            var end = header + 1
            if isImport(lines[header]), lines[header].contains("("), !lines[header].contains(")") {
                // A parenthesised import list: it ends at its closing parenthesis.
                while end < lines.count, !lines[end - 1].contains(")") { end += 1 }
            } else {
                while end < lines.count, lines[end].isBlank || lines[end].first?.isWhitespace == true { end += 1 }
            }
            while end > header + 1, lines[end - 1].isBlank { end -= 1 }
            let names = isImport(lines[header]) ? importedNames(lines[header..<end]) : definedNames
            found.append(TopLevelDefinition(lines: index..<end, names: names))
            index = end
        }
        return found
    }

    private static func isImport(_ line: String) -> Bool {
        line.hasPrefix("import ") || line.hasPrefix("from ")
    }

    /// The name a `def`/`class` header binds (one element), an empty set for an import (read
    /// whole by `importedNames`), or nil for any other statement.
    private static func bound(by line: String) -> Set<Substring>? {
        if isImport(line) { return [] }
        for keyword in ["def ", "async def ", "class "] where line.hasPrefix(keyword) {
            let name = line.dropFirst(keyword.count).prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            return name.isEmpty ? nil : [name]
        }
        return nil
    }

    /// The names an import statement (possibly over several lines) binds.
    private static func importedNames(_ lines: ArraySlice<String>) -> Set<Substring> {
        let text = lines.joined(separator: " ")
        let list: Substring
        if text.hasPrefix("from ") {
            guard let range = text.range(of: " import ") else { return [] }
            list = text[range.upperBound...]
        } else {
            list = text.dropFirst("import ".count)
        }
        var names = Set<Substring>()
        for item in list.split(separator: ",") {
            let words = item.split { $0.isWhitespace || $0 == "(" || $0 == ")" }
            guard let first = words.first, !first.hasPrefix("#") else { continue }
            if words.count >= 3, words[1] == "as" {
                names.insert(words[2])
            } else {
                names.insert(first.prefix { $0 != "." })
            }
        }
        return names
    }
}
