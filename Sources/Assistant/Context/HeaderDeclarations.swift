import SelfMoA

/// The definitions of the types a C or C++ function names in its signature — the class a
/// method belongs to (`llama_kv_cache::apply`), its parameters' types — and of those classes'
/// bases, found in the headers the file includes (Tools' `IncludedHeaders`), to be shown to the
/// model with the file (`CodeContext.related`).
///
/// Without them the model sees the file only, and guesses at what its headers declare: a
/// member's name, whether a parameter is a pointer or a reference. Those guesses were most of
/// the C++ fills that did not compile; shown the definitions, the 0.5B model made the same
/// guesses (bench/RESULTS.md §5.12), so complete shows them only with the experimental
/// `headerDeclarations`.
///
/// A definition is `struct`, `class` or `union` (and `enum class`) with a name, whose `{` comes
/// before any `;`, `(` or `=`, read to its matching `}` by `BraceBlock`'s lexer; a `typedef`'s
/// name after the `}` counts as its name too. Comment lines and blank lines are left out; a
/// definition longer than `linesPerDefinition` keeps its first lines, and the pieces stop at
/// `maximumLines` in all: the prompt stays short.
enum HeaderDeclarations {
    /// Lines shown at most, all definitions together.
    static let maximumLines = 100
    /// Lines shown at most of one definition.
    static let linesPerDefinition = 60
    /// Lines of a signature read, from the block's first line.
    static let signatureLines = 10

    /// A type's definition in a header.
    struct Definition: Equatable {
        var names: [String]
        var bases: [String]
        var lines: [String]
    }

    /// The related code for the function whose block is `block` of `lines`, from `headers`
    /// (nearest first), each named relative to `directory` (the file's).
    static func related(
        block: Range<Int>, of lines: [String], headers: [(path: String, text: String)], directory: String
    ) -> [RelatedCode] {
        let wanted = names(inSignatureOf: block, of: lines)
        guard !wanted.isEmpty, !headers.isEmpty else { return [] }
        let found = headers.map { (path: $0.path, definitions: definitions(in: $0.text)) }
        var chosen: [(path: String, definition: Definition)] = []
        func take(_ name: String) -> Definition? {
            for (path, definitions) in found {
                if let definition = definitions.first(where: { $0.names.contains(name) }) {
                    if !chosen.contains(where: { $0.definition == definition }) { chosen.append((path, definition)) }
                    return definition
                }
            }
            return nil
        }
        for name in wanted {
            // The class's bases right after it: the members a method uses are often theirs.
            if let definition = take(name) { for base in definition.bases { _ = take(base) } }
        }
        var budget = maximumLines
        var result: [RelatedCode] = []
        for (path, definition) in chosen where budget >= 3 {
            let shown = shortened(definition.lines, to: min(linesPerDefinition, budget))
            budget -= shown.count
            let name = relative(path, to: directory)
            if let last = result.indices.last, result[last].fileName == name {
                result[last].text += "\n\n" + shown.joined(separator: "\n")
            } else {
                result.append(RelatedCode(fileName: name, text: shown.joined(separator: "\n")))
            }
        }
        return result
    }

    /// The identifiers of the signature that opens `block` (its lines up to the one with `{`),
    /// qualifiers (`name::`) first.
    static func names(inSignatureOf block: Range<Int>, of lines: [String]) -> [String] {
        guard !block.isEmpty, block.upperBound <= lines.count else { return [] }
        var signature = ""
        for index in block.prefix(signatureLines) {
            let line = lines[index]
            if let brace = line.firstIndex(of: "{") {
                signature += line[..<brace]
                break
            }
            signature += line + "\n"
        }
        var qualifiers: [String] = [], others: [String] = []
        let characters = Array(signature)
        var index = 0
        while index < characters.count {
            guard isIdentifierStart(characters[index]) else {
                index += 1
                continue
            }
            let start = index
            while index < characters.count, isIdentifierPart(characters[index]) { index += 1 }
            let word = String(characters[start..<index])
            let qualifies = index + 1 < characters.count && characters[index] == ":" && characters[index + 1] == ":"
            if qualifies { if !qualifiers.contains(word) { qualifiers.append(word) } } else if !others.contains(word) { others.append(word) }
        }
        return qualifiers + others.filter { !qualifiers.contains($0) }
    }

    /// The named type definitions of a header's text, in order (nested ones included).
    static func definitions(in text: String) -> [Definition] {
        let characters = Array(text)
        var closing: [Int: Int] = [:]
        var open: [Int] = []
        for brace in BraceBlock.braces(in: text) {
            if brace.delta > 0 {
                open.append(brace.offset)
            } else if let start = open.popLast() {
                closing[start] = brace.offset
            }
        }
        var result: [Definition] = []
        var index = 0
        while index < characters.count {
            guard isIdentifierStart(characters[index]), index == 0 || !isIdentifierPart(characters[index - 1]) else {
                index += 1
                continue
            }
            let start = index
            while index < characters.count, isIdentifierPart(characters[index]) { index += 1 }
            guard ["struct", "class", "union"].contains(String(characters[start..<index])) else { continue }
            var cursor = index
            while cursor < characters.count, characters[cursor].isWhitespace { cursor += 1 }
            let nameStart = cursor
            while cursor < characters.count, isIdentifierPart(characters[cursor]) { cursor += 1 }
            let name = String(characters[nameStart..<cursor])
            var brace = cursor
            while brace < characters.count, !"{;()=".contains(characters[brace]) { brace += 1 }
            guard brace < characters.count, characters[brace] == "{", let end = closing[brace] else { continue }
            let head = String(characters[cursor..<brace])
            var after = end + 1
            while after < characters.count, characters[after] != ";", characters[after] != "{", characters[after] != "}" { after += 1 }
            let trailing = after < characters.count && characters[after] == ";" ? String(characters[(end + 1)..<after]) : ""
            var names = name.isEmpty || !isIdentifierStart(name.first!) ? [] : [name]
            if let alias = identifiers(in: trailing).last { names.append(alias) }
            guard !names.isEmpty else { continue }
            let lineStart = characters[..<start].lastIndex(of: "\n").map { $0 + 1 } ?? 0
            let lineEnd = characters[min(after, characters.count - 1)...].firstIndex(of: "\n") ?? characters.count
            let lines = String(characters[lineStart..<max(lineEnd, lineStart)]).split(separator: "\n", omittingEmptySubsequences: false)
                .filter { !$0.allSatisfy(\.isWhitespace) && !$0.drop(while: \.isWhitespace).hasPrefix("//") }
                .map(String.init)
            let bases = head.split(separator: ":", maxSplits: 1).dropFirst().first.map { identifiers(in: String($0)) } ?? []
            result.append(Definition(
                names: names, bases: bases.filter { !["public", "protected", "private", "virtual", "final"].contains($0) },
                lines: lines))
        }
        return result
    }

    /// `lines` cut to `count`, the cut marked by a comment line before the definition's last.
    static func shortened(_ lines: [String], to count: Int) -> [String] {
        guard lines.count > count, count >= 3 else { return Array(lines.prefix(count)) }
        return lines.prefix(count - 2) + ["    // … \(lines.count - count + 1) more lines", lines[lines.count - 1]]
    }

    /// `path` relative to `directory` (`../llama-graph.h`), both absolute.
    static func relative(_ path: String, to directory: String) -> String {
        let target = path.split(separator: "/"), base = directory.split(separator: "/")
        var common = 0
        while common < min(target.count - 1, base.count), target[common] == base[common] { common += 1 }
        return (Array(repeating: "..", count: base.count - common) + target[common...].map(String.init)).joined(separator: "/")
    }

    private static func identifiers(in text: String) -> [String] {
        var result: [String] = []
        var word = ""
        for character in text + " " {
            if isIdentifierPart(character), !word.isEmpty || isIdentifierStart(character) {
                word.append(character)
            } else {
                if !word.isEmpty { result.append(word) }
                word = ""
            }
        }
        return result
    }

    private static func isIdentifierStart(_ character: Character) -> Bool { character == "_" || (character.isASCII && character.isLetter) }
    private static func isIdentifierPart(_ character: Character) -> Bool { isIdentifierStart(character) || (character.isASCII && character.isNumber) }
}
