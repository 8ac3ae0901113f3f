/// Language-agnostic classification of single source lines, used by the context heuristics.
///
/// Deliberately shallow: it looks at how a line starts and ends, not at a grammar, so it works
/// the same (well enough) for Python, Swift, C-like languages, JS/TS, Lua, Ruby and Lisps.
enum SourceLine {
    /// A comment line (or a preprocessor line, which the heuristics treat alike).
    static func isComment(_ line: String) -> Bool {
        let text = line.trimmed
        if text.hasPrefix("//") || text.hasPrefix("#") || text.hasPrefix("/*") || text.hasPrefix("--")
            || text.hasPrefix(";") {
            return true
        }
        return text == "*" || text.hasPrefix("* ") || text.hasPrefix("*/")
    }

    /// A decorator, attribute or annotation line (`@cached`, `#[test]`, `[Fact]`).
    static func isAttribute(_ line: String) -> Bool {
        let text = line.trimmed
        return text.hasPrefix("@") || text.hasPrefix("#[") || (text.hasPrefix("[") && text.hasSuffix("]"))
    }

    private static let closingWords: Set<String> = ["end", "fi", "done", "esac", "until", "end)", "end,"]
    private static let continuationWords: Set<String> = [
        "else", "elif", "elseif", "elsif", "except", "finally", "catch", "rescue", "ensure", "when",
    ]

    /// Starts with a closing bracket or a block-closing word (`}`, `)`, `end`).
    static func startsWithCloser(_ line: String) -> Bool {
        let text = line.trimmed
        guard let first = text.first else { return false }
        if first == "}" || first == ")" || first == "]" { return true }
        return closingWords.contains(firstWord(text))
    }

    /// Closes or continues the block of the line above at the same indentation (`}`, `end`,
    /// `else:`, `except ValueError:`, `} catch {`).
    static func closesOrContinues(_ line: String) -> Bool {
        startsWithCloser(line) || continuationWords.contains(firstWord(line.trimmed))
    }

    /// The first word: letters, digits and `_`.
    static func firstWord(_ text: String) -> String {
        String(text.prefix { $0.isLetter || $0.isNumber || $0 == "_" })
    }

    private static let modifiers: Set<String> = [
        "public", "private", "internal", "fileprivate", "open", "protected", "static", "final", "override",
        "abstract", "virtual", "inline", "async", "export", "default", "pub", "unsafe", "extern", "mutating",
        "nonmutating", "convenience", "required", "local", "suspend", "nonisolated", "dynamic", "lazy",
        "class", "synchronized", "constexpr", "friend", "explicit", "sealed", "partial",
    ]
    private static let functionWords: Set<String> = [
        "def", "func", "function", "fn", "fun", "sub", "proc", "procedure", "method", "macro", "defp",
        "init", "deinit", "subscript", "constructor",
    ]
    private static let controlWords: Set<String> = [
        "if", "else", "elif", "for", "foreach", "while", "do", "switch", "case", "catch", "try", "with", "return",
        "unless", "until", "when", "match", "guard", "defer", "repeat", "loop", "select", "using", "lock",
        "fixed", "finally", "except", "begin", "then",
    ]
    private static let typeWords: Set<String> = [
        "struct", "enum", "protocol", "interface", "extension", "impl", "trait", "namespace", "module",
        "object", "record", "union", "type", "actor",
    ]
    private static let lispDefinitions: Set<String> = [
        "defun", "defmacro", "defmethod", "defgeneric", "defsubst", "cl-defun", "cl-defmethod", "defn", "defn-",
        "define", "lambda", "fn",
    ]

    /// Whether a block header defines a function, method, closure or computed property.
    ///
    /// - Parameters:
    ///   - start: the header's text from its first line to the opening one, joined.
    ///   - opening: the header's last line, the one that opens the block (`) -> Int {`).
    ///   - next: the first non-blank line after `opening` (a lone `{` in Allman style).
    static func looksLikeFunction(start: String, opening: String, next: String?) -> Bool {
        let text = start.trimmed
        let opens = opening.trailingTrimmed
        if text.hasPrefix("(") {
            let head = text.dropFirst().prefix { !$0.isWhitespace && $0 != "(" && $0 != ")" }
            return lispDefinitions.contains(head.lowercased())
        }
        if text.contains("=>"), opens.hasSuffix("{") || opens.hasSuffix("=>") || opens.hasSuffix("(") { return true }
        if text.contains("function(") || text.contains("function (") || text.contains("function*") { return true }

        var words = text.split(whereSeparator: \.isWhitespace).map(String.init)
        while let word = words.first, word.hasPrefix("@") || word.hasPrefix("#[") || modifiers.contains(word)
            || (word.hasPrefix("pub(") && word.hasSuffix(")")) {
            words.removeFirst()
        }
        guard let firstWord = words.first else { return false }
        let head = Self.firstWord(firstWord)
        if functionWords.contains(head) { return true }
        if head == "var" || head == "let", opens.hasSuffix("{"), !text.contains("=") { return true }
        if controlWords.contains(head) || typeWords.contains(head) { return false }

        // C-like: `type name(parameters) {` or `name(parameters) {`, brace on this or the next line.
        let rest = words.joined(separator: " ")
        guard let paren = rest.firstIndex(of: "(") else { return false }
        let before = rest[..<paren].trailingTrimmed
        guard let last = before.last, last.isLetter || last.isNumber || last == "_" || last == ">",
            !before.contains("=")
        else { return false }
        if opens.hasSuffix("{") { return true }
        return next?.trimmed == "{" && !opens.hasSuffix(";")
    }

    private static let importPrefixes = [
        "import ", "import(", "import{", "from ", "#include", "#import", "@import", "using ", "use ", "require ",
        "require(", "require_relative", "package ", "module ", "library ", "library(", "extern crate", "open ",
        "(require", "(ns ", "(in-package", "(use-package", "(load ", "#pragma once", "\"use strict\"",
        "'use strict'", "@file:", "source(", "include ", "load(",
    ]

    /// An import, include, package or module declaration (`import os`, `#include <x>`,
    /// `const fs = require("fs")`, `local json = require("json")`).
    static func isImport(_ line: String) -> Bool {
        let text = line.trimmed
        if importPrefixes.contains(where: { text.hasPrefix($0) }) { return true }
        let first = firstWord(text)
        return ["const", "let", "var", "local"].contains(first) && text.contains("require(")
    }

    /// Opening minus closing brackets on a line (strings and comments are not excluded).
    static func bracketBalance(_ text: some StringProtocol) -> Int {
        var balance = 0
        for character in text {
            switch character {
            case "(", "[", "{": balance += 1
            case ")", "]", "}": balance -= 1
            default: break
            }
        }
        return balance
    }
}
