import Foundation

/// Recognises code that only stands in for an implementation: `pass`, `...`,
/// `raise NotImplementedError`, `fatalError("…")`, `todo!()`, `throw new Error("…")`, a bare
/// docstring, or nothing but comments ("# Your code here").
///
/// Small models answer "implement here" with such a stub now and then (10 of 164 greedy answers
/// on HumanEval, and two identical stubs used to win agreement). The complete checker ranks a
/// placeholder below every candidate with real code, so a real proposal answers instead.
enum PlaceholderCode {
    /// Whether every statement of `code` is a placeholder (comments and whitespace aside).
    static func isPlaceholder(_ code: String, language: String) -> Bool {
        var rest = Substring(CodeNormalizer.normalize(code, language: language))
        while !rest.isEmpty {
            rest = rest.drop(while: { $0 == ";" })
            guard !rest.isEmpty else { break }
            guard let next = afterStub(rest, language: language) else { return false }
            rest = next
        }
        return true
    }

    /// Placeholder statements in normal form (no whitespace): a name that may take a call's
    /// arguments (`fatalError("todo")`), or a bare word.
    private static func stubs(for language: String) -> (calls: [String], words: [String]) {
        switch language {
        case "python":
            return (["raiseNotImplementedError", "raiseNotImplemented"], ["pass", "..."])
        case "swift":
            return (["fatalError", "preconditionFailure"], [])
        case "rust":
            return (["todo!", "unimplemented!"], [])
        case "javascript", "javascriptreact", "typescript", "typescriptreact":
            return (["thrownewError", "throwError"], [])
        case "java", "kotlin", "csharp":
            return (["thrownewUnsupportedOperationException", "thrownewNotImplementedException", "TODO"], [])
        case "go":
            return (["panic"], [])
        default:
            return ([], [])
        }
    }

    /// `text` after one placeholder statement at its start, or nil when it starts with something else.
    private static func afterStub(_ text: Substring, language: String) -> Substring? {
        let (calls, words) = stubs(for: language)
        if language == "python", let quotes = ["\"\"\"", "'''"].first(where: { text.hasPrefix($0) }) {
            // A docstring statement: a body that only repeats the documentation implements nothing.
            let body = text.dropFirst(3)
            guard let end = body.range(of: quotes) else { return nil }
            return body[end.upperBound...]
        }
        for word in words where text.hasPrefix(word) {
            return text.dropFirst(word.count)
        }
        for call in calls where text.hasPrefix(call) {
            let rest = text.dropFirst(call.count)
            guard rest.first == "(" else { return rest }
            return afterArguments(rest)
        }
        return nil
    }

    /// `text` (starting at `(`) after its balanced, string-aware argument list.
    private static func afterArguments(_ text: Substring) -> Substring? {
        var depth = 0
        var quote: Character?
        var escaped = false
        for index in text.indices {
            let char = text[index]
            if let open = quote {
                if escaped { escaped = false } else if char == "\\" { escaped = true } else if char == open { quote = nil }
                continue
            }
            switch char {
            case "\"", "'", "`": quote = char
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth == 0 { return text[text.index(after: index)...] }
            default: break
            }
        }
        return nil
    }
}
