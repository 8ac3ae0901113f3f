import Foundation

/// The project headers a C or C++ file includes, directly or through other project headers:
/// each `#include "…"` resolved as the compiler would, against the including file's directory,
/// then the include directories of its `CompilationFlags` (`-iquote`, `-I`, `-idirafter`).
/// `#include <…>` (the system's and the standard library's headers, which the model knows) is
/// not followed.
///
/// Read breadth-first, nearest first, up to `depth` levels and `limit` files; a header over
/// `maximumBytes`, or one that cannot be read, is skipped.
public enum IncludedHeaders {
    /// Files read at most.
    public static let limit = 32
    /// Largest header read.
    public static let maximumBytes = 1 << 20

    /// The headers `source` (the text of the file at `path`, absolute) includes, with their
    /// texts, nearest first.
    public static func of(
        _ source: String, at path: String, flags: CompilationFlags, depth: Int = 3
    ) -> [(path: String, text: String)] {
        let directories = includeDirectories(flags.arguments)
        var seen: Set<String> = [path]
        var result: [(path: String, text: String)] = []
        var level: [(from: String, text: String)] = [(path, source)]
        for _ in 0..<depth {
            var next: [(from: String, text: String)] = []
            for (from, text) in level {
                let here = (from as NSString).deletingLastPathComponent
                for name in quotedIncludes(in: text) {
                    guard result.count < limit,
                          let found = ([here] + directories).lazy
                            .map({ URL(fileURLWithPath: $0).appendingPathComponent(name).standardizedFileURL.path })
                            .first(where: { FileManager.default.fileExists(atPath: $0) }),
                          seen.insert(found).inserted,
                          let size = (try? FileManager.default.attributesOfItem(atPath: found))?[.size] as? Int,
                          size <= maximumBytes,
                          let data = FileManager.default.contents(atPath: found)
                    else { continue }
                    let text = String(decoding: data, as: UTF8.self)
                    result.append((found, text))
                    next.append((found, text))
                }
            }
            level = next
        }
        return result
    }

    /// The names of a text's `#include "…"` lines, in order.
    static func quotedIncludes(in text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: true).compactMap { line in
            var rest = line.drop { $0 == " " || $0 == "\t" }
            guard rest.first == "#" else { return nil }
            rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
            guard rest.hasPrefix("include") else { return nil }
            rest = rest.dropFirst("include".count).drop { $0 == " " || $0 == "\t" }
            guard rest.first == "\"", let close = rest.dropFirst().firstIndex(of: "\"") else { return nil }
            return String(rest[rest.index(after: rest.startIndex)..<close])
        }
    }

    /// The include directories of compiler arguments, in the order the compiler searches them
    /// for a quoted include.
    static func includeDirectories(_ arguments: [String]) -> [String] {
        let order = ["-iquote", "-I", "-idirafter"]
        var found: [[String]] = order.map { _ in [] }
        var index = 0
        while index < arguments.count {
            let word = arguments[index]
            index += 1
            guard let kind = order.firstIndex(where: { word.hasPrefix($0) }) else { continue }
            if word == order[kind] {
                guard index < arguments.count else { break }
                found[kind].append(arguments[index])
                index += 1
            } else {
                found[kind].append(String(word.dropFirst(order[kind].count)))
            }
        }
        return found.flatMap { $0 }
    }
}
