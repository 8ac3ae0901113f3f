import Tools

/// C and C++ code that does not check in the file, corrected as the compiler itself suggests,
/// when that makes it check: its fix-it hints, the quick fixes clangd offers (a misspelt name's
/// "did you mean `tok_embd`?", a missing `;`).
///
/// Small models write a name close to one the file declares (`token_embd` for `tok_embd`). A
/// name the compiler corrects is corrected wherever the code uses it: C reports an undeclared
/// name once per function. Only edits inside the code count; the file around it is the user's,
/// but for the `#include` of a standard header the compiler says is missing (GCC's "did you
/// forget to `#include <vector>`?"), which goes in as the result's `includes`, a second edit
/// before the code, as complete's imports do in Python. The result says what changed, so the
/// user sees every correction.
enum CompilerCorrections {
    /// The languages whose compilers suggest corrections.
    static let languages: Set<String> = ["c", "cpp"]
    /// Rounds of corrections tried on one code, each one compiler run.
    static let rounds = 3
    /// Candidates' codes tried, the chosen one first.
    static let candidates = 3

    /// Code that checks after the compiler's corrections, and those corrections (`"token_embd"
    /// → "tok_embd"`).
    struct Corrected: Sendable, Hashable {
        var code: String
        var changes: [String]
        /// The `#include` lines the compiler said the code needs, and where in the file they go.
        var includes: ImportInsertion?

        /// The note the cost report carries.
        var note: String {
            "the code did not compile in the file; the compiler's own corrections made it compile: " + changes.joined(separator: ", ")
        }
    }

    /// `code`, placed by `place` at byte `start` of the file, corrected until it checks; `nil`
    /// when the compiler suggests nothing inside it (or, with `includes`, no header before it),
    /// or its suggestions do not make it check.
    static func of(
        _ code: String, language: String, path: String?, checker: any SyntaxChecker, start: Int,
        includes: Bool = false, place: (String) -> String
    ) async -> Corrected? {
        var code = code
        var changes: [String] = []
        // The headers to include, all at the first place the compiler named (before the code).
        var headers: [String] = []
        var at = 0
        func program(_ code: String) -> String {
            let placed = place(code)
            guard !headers.isEmpty else { return placed }
            let bytes = Array(placed.utf8)
            return String(decoding: bytes[..<at], as: UTF8.self) + headers.map { $0 + "\n" }.joined()
                + String(decoding: bytes[at...], as: UTF8.self)
        }
        func result() -> Corrected? {
            changes.isEmpty ? nil : Corrected(
                code: code, changes: changes, includes: headers.isEmpty ? nil : ImportInsertion(offset: at, statements: headers))
        }
        for _ in 0..<rounds {
            let checked = program(code)
            let (verdict, fixIts) = await checker.corrections(checked, language: language, file: path)
            switch verdict {
            case .valid: return result()
            case .unavailable: return nil
            case .invalid, .unresolved: break
            }
            let shift = headers.reduce(0) { $0 + $1.utf8.count + 1 }
            let edits = fixIts.compactMap { local($0, in: checked, start: start + shift, length: code.utf8.count) }
            let added = includes ? fixIts.compactMap { include($0, in: checked, before: start + shift) } : []
            var grew = false
            for header in added where !headers.contains(header.line) {
                if headers.isEmpty { at = min(header.offset, start) }
                headers.append(header.line)
                changes.append("`\(header.line)` added")
                grew = true
            }
            let applied = apply(edits, to: code)
            guard applied.code != code || grew else { return nil }
            code = applied.code
            changes += applied.changes.filter { !changes.contains($0) }
        }
        guard case .valid = await checker.check(program(code), language: language, file: path) else { return nil }
        return result()
    }

    /// A fix-it that includes a header (`#include <vector>`), inserted before byte `limit` of
    /// `program` (where the code starts): the line, and where it goes.
    static func include(_ fixIt: FixIt, in program: String, before limit: Int) -> (line: String, offset: Int)? {
        guard fixIt.columns.isEmpty, fixIt.replacement.hasPrefix("#include "), fixIt.replacement.hasSuffix("\n") else { return nil }
        let line = String(fixIt.replacement.dropLast())
        guard !line.contains("\n"), let name = line.split(separator: " ", maxSplits: 1).last,
              (name.hasPrefix("<") && name.hasSuffix(">")) || (name.hasPrefix("\"") && name.hasSuffix("\"")),
              let offset = offset(fixIt, in: program), offset <= limit
        else { return nil }
        return (line, offset)
    }

    /// A fix-it's byte offset in `program`; `nil` when its line is not there.
    static func offset(_ fixIt: FixIt, in program: String) -> Int? {
        let bytes = Array(program.utf8)
        var line = 1
        var offset = 0
        while line < fixIt.line, offset < bytes.count {
            if bytes[offset] == UInt8(ascii: "\n") { line += 1 }
            offset += 1
        }
        guard line == fixIt.line else { return nil }
        let at = offset + fixIt.columns.lowerBound - 1
        return at <= bytes.count ? at : nil
    }

    /// A fix-it's byte range in the code and its replacement, when it lies inside the code
    /// (which starts at byte `start` of `program` and is `length` bytes long).
    static func local(_ fixIt: FixIt, in program: String, start: Int, length: Int) -> (range: Range<Int>, replacement: String)? {
        guard let lower = offset(fixIt, in: program) else { return nil }
        let upper = lower + fixIt.columns.count
        guard lower >= start, upper <= start + length, upper <= program.utf8.count else { return nil }
        return (lower - start..<upper - start, fixIt.replacement)
    }

    /// The edits applied: where one replaces a name with a name, every use of that name in the
    /// code; the others where they are (the last first, overlapping ones skipped).
    static func apply(_ edits: [(range: Range<Int>, replacement: String)], to code: String) -> (code: String, changes: [String]) {
        var bytes = Array(code.utf8)
        var renames: [(String, String)] = []
        var others: [(range: Range<Int>, replacement: String)] = []
        for edit in edits {
            let original = String(decoding: bytes[edit.range], as: UTF8.self)
            if isName(original), isName(edit.replacement) {
                if !renames.contains(where: { $0.0 == original }) { renames.append((original, edit.replacement)) }
            } else {
                others.append(edit)
            }
        }
        var changes: [String] = []
        var lowest = Int.max
        for edit in others.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) where edit.range.upperBound <= lowest {
            let original = String(decoding: bytes[edit.range], as: UTF8.self)
            changes.append(original.isEmpty ? "`\(edit.replacement)` inserted" : "`\(original)` → `\(edit.replacement)`")
            bytes.replaceSubrange(edit.range, with: Array(edit.replacement.utf8))
            lowest = edit.range.lowerBound
        }
        var text = String(decoding: bytes, as: UTF8.self)
        for (old, new) in renames {
            text = renamed(text, old, new)
            changes.append("`\(old)` → `\(new)`")
        }
        return (text, changes)
    }

    /// An identifier: a letter or `_`, then letters, digits and `_`.
    static func isName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return text.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && $0.properties.isAlphabetic) || ("0"..."9").contains($0) }
    }

    /// `text` with every whole-word use of the name `old` replaced by `new`.
    static func renamed(_ text: String, _ old: String, _ new: String) -> String {
        let scalars = Array(text.unicodeScalars)
        let target = Array(old.unicodeScalars)
        let isPart = { (scalar: Unicode.Scalar) in scalar == "_" || (scalar.isASCII && scalar.properties.isAlphabetic) || ("0"..."9").contains(scalar) }
        var result = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            let end = index + target.count
            if end <= scalars.count, Array(scalars[index..<end]) == target,
                index == 0 || !isPart(scalars[index - 1]), end == scalars.count || !isPart(scalars[end]) {
                result.append(contentsOf: new.unicodeScalars)
                index = end
            } else {
                result.append(scalars[index])
                index += 1
            }
        }
        return String(result)
    }
}
