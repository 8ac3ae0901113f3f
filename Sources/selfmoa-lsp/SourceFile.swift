import ArgumentParser
import Assistant
import Foundation

/// A file read from disk, with its language.
struct SourceFile {
    var path: String
    var name: String
    var language: String
    var text: String

    init(path: String, language: String?) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ValidationError("cannot read \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw ValidationError("\(path) is not UTF-8 text")
        }
        self.path = path
        self.name = URL(fileURLWithPath: path).lastPathComponent
        self.language = language ?? Self.language(ofExtension: URL(fileURLWithPath: path).pathExtension)
        self.text = text
    }

    /// The number of lines (a final newline does not start another).
    var lineCount: Int {
        let count = text.split(separator: "\n", omittingEmptySubsequences: false).count
        return text.hasSuffix("\n") ? count - 1 : count
    }

    /// The bytes of `lines` (clamped to the file; see `check`).
    func byteRange(of lines: LineSpan) -> Range<Int> {
        ActionInput.byteRange(lines: lines.zeroBased, in: text)
    }

    /// LSP language identifiers by file extension; the extension itself otherwise.
    static func language(ofExtension ext: String) -> String {
        LanguageID.of(extension: ext)
    }

    /// Rejects lines past the end of the file, naming the file's length.
    func check(_ lines: LineSpan) throws {
        guard lines.first <= max(lineCount, 1) else {
            throw ValidationError("\(path) has \(lineCount) lines; line \(lines.first) does not exist")
        }
    }

    /// The action's input: the whole file, or the bytes of `selection`.
    func input(selection: Range<Int>?) -> ActionInput {
        ActionInput(
            fileName: name, language: language, text: text, selection: selection,
            path: URL(fileURLWithPath: path).standardizedFileURL.path)
    }

    /// The action's input: the whole file, or `lines` of it (checked against the file).
    func input(lines: LineSpan?) throws -> ActionInput {
        guard let lines else { return input(selection: nil) }
        try check(lines)
        return input(selection: byteRange(of: lines))
    }
}
