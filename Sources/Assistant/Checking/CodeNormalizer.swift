import ModelBackend
import SelfMoA
/// The normal form two candidates agree in: the code without comments and without whitespace.
///
/// Comments are recognised per language — `#` for Python, shell, Ruby and friends; `//` and
/// `/* */` for the C family (Swift, JavaScript, TypeScript, C, C++, Java, Go, Rust, …) — outside
/// string literals (`"…"`, `'…'`, and `` `…` `` in JavaScript and TypeScript). Other languages
/// keep their comments. Whitespace goes everywhere, strings included: a difference in spacing
/// alone is not a different answer.
enum CodeNormalizer {
    private enum Style { case hash, cFamily, none }

    private static func style(of language: String) -> Style {
        switch language {
        case "python", "shellscript", "sh", "bash", "ruby", "perl", "r", "yaml", "toml", "elixir", "julia", "nim":
            return .hash
        case "swift", "javascript", "javascriptreact", "typescript", "typescriptreact", "c", "cpp", "objective-c",
            "objective-cpp", "java", "kotlin", "scala", "go", "rust", "csharp", "dart", "php", "zig":
            return .cFamily
        default:
            return .none
        }
    }

    static func normalize(_ code: String, language: String) -> String {
        stripped(code, language: language, keepingSpaces: false)
    }

    /// The code's tokens without comments, for measuring how alike two candidates are: runs of
    /// letters, digits and `_`, and every other character on its own (string contents without
    /// their whitespace, as in the normal form).
    static func tokens(_ code: String, language: String) -> [String] {
        TokenSimilarity.tokens(of: stripped(code, language: language, keepingSpaces: true))
    }

    /// The code without comments; whitespace outside strings dropped, or with `keepingSpaces`
    /// kept as one space per run (so words stay apart).
    private static func stripped(_ code: String, language: String, keepingSpaces: Bool) -> String {
        let style = style(of: language)
        let backticks = language.hasPrefix("javascript") || language.hasPrefix("typescript") || language == "go"
        var out: [Character] = []
        let chars = Array(code)
        var index = 0
        var quote: Character?
        while index < chars.count {
            let char = chars[index]
            let next: Character? = index + 1 < chars.count ? chars[index + 1] : nil
            if let open = quote {
                if char == "\\", next != nil {
                    out.append(char)
                    out.append(next!)
                    index += 2
                    continue
                }
                if char == open { quote = nil }
                if !char.isWhitespace { out.append(char) }
                index += 1
                continue
            }
            if char == "\"" || char == "'" || (backticks && char == "`") {
                quote = char
                out.append(char)
                index += 1
                continue
            }
            if style == .hash, char == "#" {
                while index < chars.count, !chars[index].isNewline { index += 1 }
                continue
            }
            if style == .cFamily, char == "/", next == "/" {
                while index < chars.count, !chars[index].isNewline { index += 1 }
                continue
            }
            if style == .cFamily, char == "/", next == "*" {
                index += 2
                while index < chars.count, !(chars[index] == "*" && index + 1 < chars.count && chars[index + 1] == "/") {
                    index += 1
                }
                index += 2
                continue
            }
            if !char.isWhitespace {
                out.append(char)
            } else if keepingSpaces, out.last != " " {
                out.append(" ")
            }
            index += 1
        }
        return String(out)
    }
}
