import Foundation
import JSON

/// The flags a C or C++ file is compiled with that decide what its headers are: include
/// directories (`-I`, `-isystem`, `-iquote`, `-idirafter`), forced includes (`-include`),
/// macros (`-D`, `-U`) and the language standard (`-std=`).
///
/// They come from the project's compilation database, `compile_commands.json` (what CMake's
/// `CMAKE_EXPORT_COMPILE_COMMANDS`, Meson and Bear write, and clangd reads): the first one found
/// in the file's directory or an ancestor, directly or in its `build/` directory. The file's own
/// entry is used, else one from the same directory, else the database's first. Relative paths
/// are resolved against the entry's `directory`. Without a database, the file's own directory
/// is the only include directory (what `#include "x.h"` next to it needs).
public struct CompilationFlags: Sendable, Hashable {
    /// The flags, ready to pass before the source.
    public var arguments: [String]
    /// The database they came from; `nil`: none was found.
    public var database: String?

    /// The flags for the file at `path` (absolute).
    public static func of(file path: String) -> CompilationFlags {
        let directory = (path as NSString).deletingLastPathComponent
        for database in candidates(above: directory) where FileManager.default.fileExists(atPath: database) {
            guard let data = FileManager.default.contents(atPath: database),
                  let entries = (try? JSONValue.parse(Array(data)))?.arrayValue, !entries.isEmpty
            else { continue }
            let entry = entries.first { file(of: $0) == path }
                ?? entries.first { file(of: $0).map { ($0 as NSString).deletingLastPathComponent } == directory }
                ?? entries[0]
            return CompilationFlags(arguments: ["-I", directory] + relevant(words(of: entry), in: entry["directory"]?.stringValue ?? directory), database: database)
        }
        return CompilationFlags(arguments: ["-I", directory], database: nil)
    }

    /// Where a database for `directory` may be, nearest first.
    static func candidates(above directory: String) -> [String] {
        var result: [String] = []
        var current = URL(fileURLWithPath: directory).standardizedFileURL
        for _ in 0..<32 {
            result.append(current.appendingPathComponent("compile_commands.json").path)
            result.append(current.appendingPathComponent("build/compile_commands.json").path)
            let parent = current.deletingLastPathComponent()
            if parent.path == current.path { break }
            current = parent
        }
        return result
    }

    /// An entry's file, absolute.
    static func file(of entry: JSONValue) -> String? {
        guard let file = entry["file"]?.stringValue else { return nil }
        if file.hasPrefix("/") { return URL(fileURLWithPath: file).standardizedFileURL.path }
        let directory = entry["directory"]?.stringValue ?? "/"
        return URL(fileURLWithPath: directory).appendingPathComponent(file).standardizedFileURL.path
    }

    /// An entry's command line: its `arguments`, or its `command` split as a shell would
    /// (spaces, quotes, backslashes).
    static func words(of entry: JSONValue) -> [String] {
        if let arguments = entry["arguments"]?.arrayValue { return arguments.compactMap(\.stringValue) }
        guard let command = entry["command"]?.stringValue else { return [] }
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in command {
            if escaped {
                word.append(character)
                escaped = false
            } else if character == "\\", quote != "'" {
                escaped = true
                inWord = true
            } else if let open = quote {
                if character == open { quote = nil } else { word.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append(word) }
                word = ""
                inWord = false
            } else {
                word.append(character)
                inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }

    /// The flags of `words` that decide headers and macros, with paths made absolute.
    static func relevant(_ words: [String], in directory: String) -> [String] {
        let pathFlags = ["-I", "-isystem", "-iquote", "-idirafter", "-include"]
        func absolute(_ path: String) -> String {
            path.hasPrefix("/") ? path : URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.path
        }
        var result: [String] = []
        var index = 0
        while index < words.count {
            let word = words[index]
            index += 1
            if let flag = pathFlags.first(where: { word == $0 }) {
                guard index < words.count else { break }
                result += [flag, absolute(words[index])]
                index += 1
            } else if let flag = pathFlags.first(where: { word.hasPrefix($0) && $0 != "-include" }) {
                result += [flag, absolute(String(word.dropFirst(flag.count)))]
            } else if word == "-D" || word == "-U" {
                guard index < words.count else { break }
                result += [word + words[index]]
                index += 1
            } else if word.hasPrefix("-D") || word.hasPrefix("-U") || word.hasPrefix("-std=") {
                result.append(word)
            }
        }
        return result
    }
}
