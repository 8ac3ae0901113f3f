import Tools

/// C and C++ code that does not check in the file, corrected as the compiler itself suggests,
/// when that makes it check: its fix-it hints, the quick fixes clangd offers (a misspelt name's
/// "did you mean `tok_embd`?", a missing `;`).
///
/// Small models write a name close to one the file declares (`token_embd` for `tok_embd`). A
/// name the compiler corrects is corrected wherever the code uses it: C reports an undeclared
/// name once per function. Only edits inside the code count; the file around it is the user's.
/// The result says what changed, so the user sees every correction.
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

        /// The note the cost report carries.
        var note: String {
            "the code did not compile in the file; the compiler's own corrections made it compile: " + changes.joined(separator: ", ")
        }
    }

    /// `code`, placed by `place` at byte `start` of the file, corrected until it checks; `nil`
    /// when the compiler suggests nothing inside it, or its suggestions do not make it check.
    static func of(
        _ code: String, language: String, path: String?, checker: any SyntaxChecker, start: Int,
        place: (String) -> String
    ) async -> Corrected? {
        var code = code
        var changes: [String] = []
        for _ in 0..<rounds {
            let program = place(code)
            let (verdict, fixIts) = await checker.corrections(program, language: language, file: path)
            switch verdict {
            case .valid: return changes.isEmpty ? nil : Corrected(code: code, changes: changes)
            case .unavailable: return nil
            case .invalid: break
            }
            let edits = fixIts.compactMap { local($0, in: program, start: start, length: code.utf8.count) }
            guard !edits.isEmpty else { return nil }
            let applied = apply(edits, to: code)
            guard applied.code != code else { return nil }
            code = applied.code
            changes += applied.changes.filter { !changes.contains($0) }
        }
        guard case .valid = await checker.check(place(code), language: language, file: path) else { return nil }
        return Corrected(code: code, changes: changes)
    }

    /// A fix-it's byte range in the code and its replacement, when it lies inside the code
    /// (which starts at byte `start` of `program` and is `length` bytes long).
    static func local(_ fixIt: FixIt, in program: String, start: Int, length: Int) -> (range: Range<Int>, replacement: String)? {
        let bytes = Array(program.utf8)
        var line = 1
        var offset = 0
        while line < fixIt.line, offset < bytes.count {
            if bytes[offset] == UInt8(ascii: "\n") { line += 1 }
            offset += 1
        }
        guard line == fixIt.line else { return nil }
        let lower = offset + fixIt.columns.lowerBound - 1
        let upper = offset + fixIt.columns.upperBound - 1
        guard lower >= start, upper <= start + length, upper <= bytes.count else { return nil }
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
