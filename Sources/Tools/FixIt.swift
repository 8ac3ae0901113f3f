/// An edit a compiler suggests to correct the source it rejected (its fix-it hint): replace
/// `columns` of `line` with `replacement`.
///
/// GCC and Clang print them with `-fdiagnostics-parseable-fixits`, one a line:
/// `fix-it:"<stdin>":{3:12-3:22}:"tok_embd"` (lines and byte columns 1-based, the end column
/// excluded; an empty range inserts).
public struct FixIt: Sendable, Hashable {
    /// 1-based.
    public var line: Int
    /// 1-based byte columns, the upper bound excluded.
    public var columns: Range<Int>
    public var replacement: String

    public init(line: Int, columns: Range<Int>, replacement: String) {
        self.line = line
        self.columns = columns
        self.replacement = replacement
    }

    /// The fix-its of a compiler's diagnostics for its standard input (`"<stdin>"`) that stay on
    /// one line; others (in headers, over several lines) are left out.
    public static func parse(_ diagnostics: String) -> [FixIt] {
        diagnostics.split(whereSeparator: \.isNewline).compactMap { line in
            guard line.hasPrefix("fix-it:\"<stdin>\":{") else { return nil }
            let rest = line.dropFirst("fix-it:\"<stdin>\":{".count)
            guard let close = rest.firstIndex(of: "}") else { return nil }
            let bounds = rest[..<close].split(separator: "-")
            guard bounds.count == 2 else { return nil }
            let start = bounds[0].split(separator: ":").compactMap { Int($0) }
            let end = bounds[1].split(separator: ":").compactMap { Int($0) }
            guard start.count == 2, end.count == 2, start[0] == end[0], start[1] <= end[1] else { return nil }
            let quoted = rest[rest.index(after: close)...]
            guard quoted.hasPrefix(":\""), quoted.hasSuffix("\""), quoted.count >= 3 else { return nil }
            guard let replacement = unescaped(quoted.dropFirst(2).dropLast()) else { return nil }
            return FixIt(line: start[0], columns: start[1]..<end[1], replacement: replacement)
        }
    }

    /// The replacement's text: `\"`, `\\`, `\n` and `\t` unescaped (a suggested `#include`
    /// line ends in `\n`); `nil` for other escapes (bytes the compiler wrote in octal), which
    /// are left alone.
    static func unescaped(_ text: Substring) -> String? {
        var result = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "\"", "\\": result.append(character)
                case "n": result.append("\n")
                case "t": result.append("\t")
                default: return nil
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                result.append(character)
            }
        }
        return escaping ? nil : result
    }
}
