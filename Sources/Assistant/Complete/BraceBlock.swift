/// Where code in a brace language (Swift, JavaScript, TypeScript, C, C++) opens and closes
/// blocks (and parentheses, square brackets and preprocessor conditionals), read by a small lexer that skips comments (`//`, `/* */`), string and character
/// literals (`"…"`, `'…'`, JavaScript's `` `…` ``, Swift's `"""…"""`) so a brace inside them
/// does not count.
enum BraceBlock {
    /// The `languageId`s whose blocks are braces.
    static let languages: Set<String> = [
        "swift", "javascript", "javascriptreact", "typescript", "typescriptreact", "c", "cpp", "objective-c", "objective-cpp",
    ]

    static func applies(to language: String) -> Bool { languages.contains(language) }

    /// The offsets (in `text`'s characters) of the braces outside comments and literals, with
    /// +1 for `{` and -1 for `}`.
    static func braces(in text: String) -> [(offset: Int, delta: Int)] {
        brackets(in: text).compactMap { bracket in
            switch bracket.character {
            case "{": (bracket.offset, 1)
            case "}": (bracket.offset, -1)
            default: nil
            }
        }
    }

    /// The offsets (in `text`'s characters) of the brackets `{}`, `()` and `[]` outside
    /// comments and literals.
    static func brackets(in text: String) -> [(offset: Int, character: Character)] {
        var result: [(offset: Int, character: Character)] = []
        let characters = Array(text)
        var index = 0
        func starts(_ token: String, at position: Int) -> Bool {
            var index = position
            for character in token {
                guard index < characters.count, characters[index] == character else { return false }
                index += 1
            }
            return true
        }
        while index < characters.count {
            let character = characters[index]
            if starts("//", at: index) {
                while index < characters.count, characters[index] != "\n" { index += 1 }
                continue
            }
            if starts("/*", at: index) {
                index += 2
                while index < characters.count, !starts("*/", at: index) { index += 1 }
                index += 2
                continue
            }
            if starts("\"\"\"", at: index) {
                index += 3
                while index < characters.count, !starts("\"\"\"", at: index) { index += characters[index] == "\\" ? 2 : 1 }
                index += 3
                continue
            }
            if character == "\"" || character == "'" || character == "`" {
                index += 1
                while index < characters.count, characters[index] != character {
                    // An unclosed quote ends at its line (a C char, an apostrophe in a stray word).
                    if characters[index] == "\n", character != "`" { break }
                    index += characters[index] == "\\" ? 2 : 1
                }
                index += 1
                continue
            }
            if "{}()[]".contains(character) { result.append((index, character)) }
            index += 1
        }
        return result
    }

    /// The depth of blocks open at the end of `text` (never below 0).
    static func depth(atEndOf text: String) -> Int {
        braces(in: text).reduce(0) { max(0, $0 + $1.delta) }
    }

    /// The character offset in `text` of the first `}` that closes a block opened before it
    /// (the depth going below 0, counting from 0), or `nil`.
    static func firstUnmatchedClose(in text: String) -> Int? {
        var depth = 0
        for brace in braces(in: text) {
            depth += brace.delta
            if depth < 0 { return brace.offset }
        }
        return nil
    }

    /// What is left open at the end of `text`, and what closes nothing: blocks, parentheses
    /// and square brackets (each counted on its own), and the preprocessor's conditionals
    /// (`#if`, `#ifdef`, `#ifndef` against `#endif`; C's, C++'s and Swift's).
    static func balance(of text: String) -> (open: Int, unmatched: Int) {
        var open: [Character: Int] = [:]
        var unmatched = 0
        let pairs: [Character: Character] = ["}": "{", ")": "(", "]": "["]
        for bracket in brackets(in: text) {
            if let opener = pairs[bracket.character] {
                if open[opener, default: 0] > 0 { open[opener, default: 0] -= 1 } else { unmatched += 1 }
            } else {
                open[bracket.character, default: 0] += 1
            }
        }
        var conditionals = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let delta = conditional(line) else { continue }
            if delta > 0 {
                conditionals += 1
            } else if conditionals > 0 {
                conditionals -= 1
            } else {
                unmatched += 1
            }
        }
        return (open.values.reduce(0, +) + conditionals, unmatched)
    }

    /// +1 for a line that opens a preprocessor conditional (`#if`, `#ifdef`, `#ifndef`), -1 for
    /// `#endif`, `nil` for any other line.
    static func conditional(_ line: Substring) -> Int? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.first == "#" else { return nil }
        let directive = trimmed.dropFirst().drop { $0 == " " || $0 == "\t" }.prefix { $0.isLetter }
        switch directive {
        case "if", "ifdef", "ifndef": return 1
        case "endif": return -1
        default: return nil
        }
    }

    /// Whether putting code in turned `original` into `placed` with more blocks, parentheses,
    /// square brackets or preprocessor conditionals left open, or more of them closing
    /// nothing: an answer cut off mid-block or mid-call, or one that closes too much.
    static func unbalances(_ original: String, into placed: String) -> Bool {
        let before = balance(of: original)
        let after = balance(of: placed)
        return after.open > before.open || after.unmatched > before.unmatched
    }

    /// The offset of the `{` that opens the innermost block still open at the end of `text`.
    static func innermostOpen(in text: String) -> Int? {
        var open: [Int] = []
        for brace in braces(in: text) {
            if brace.delta > 0 { open.append(brace.offset) } else if !open.isEmpty { open.removeLast() }
        }
        return open.last
    }
}
