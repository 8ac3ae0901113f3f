import ModelBackend
import SelfMoA
import Tools
/// The complete action's `CandidateChecker`: judges a candidate by the code the product would
/// insert for it, placed in the file.
///
/// Levels, in order: the candidate yields code (1; a placeholder such as `pass` stays there); the
/// file with that code in place parses in its language (2, with `syntax`); it compiles (3: in C
/// and C++ the compiler finds no name or type wrong in the code, elsewhere as 2); the code is
/// whole, not cut off by the token limit (4); then one more per doctest example of the function
/// being written that gives its expected output (with `sandbox` and examples in the user's
/// docstring). A candidate the token limit cut off inside its code is judged by what complete
/// would insert for it, the code taken back to where it is whole (`cutBack`): it can compile, and
/// then ranks above code that does not, but below whole code that does. A check that cannot run
/// here (no toolchain) counts as passed and leaves a note, so the candidate is kept. The
/// agreement key is the code without comments and whitespace.
struct CompleteChecker: CandidateChecker {
    let input: ActionInput
    let insertion: ContextExtractor.Insertion
    let syntax: (any SyntaxChecker)?
    let sandbox: DoctestSandbox?
    /// The user's doctest examples for this place (`DoctestExamples`), when running them.
    let examples: String?

    init(input: ActionInput, insertion: ContextExtractor.Insertion, syntax: (any SyntaxChecker)?, sandbox: DoctestSandbox?) {
        self.input = input
        self.insertion = insertion
        self.syntax = syntax
        self.sandbox = input.language == "python" ? sandbox : nil
        if self.sandbox != nil {
            let focus = insertion.replacedLines ?? insertion.context.cursor.map { $0.line..<($0.line + 1) } ?? 0..<0
            examples = DoctestExamples.docstring(in: insertion.source.lines, focus: focus)
        } else {
            examples = nil
        }
    }

    func check(_ candidate: String) async -> CandidateCheck {
        await check(candidate, cutOff: false)
    }

    /// A candidate the token limit cut off inside the code it would insert is judged by that code
    /// taken back to where it is whole, and stops below the whole-code level. Cut off in what the
    /// clean-up drops anyway (test calls after the function), it is judged as usual.
    func check(_ candidate: String, cutOff: Bool) async -> CandidateCheck {
        let cleaned = CodeCleanup.code(from: candidate, for: insertion)
        let cut = cutOff && Self.lastLine(of: cleaned) == Self.lastLine(of: candidate)
        // As it would be inserted: taken back to where it is whole when cut, else with the blocks
        // an answer that ended on its own left open closed.
        let code = cut ? await cutBack(candidate) : BraceCleanup.closingOpenBlocks(cleaned, language: input.language)
        let shown = cut ? code : cleaned
        let key = CodeNormalizer.normalize(shown, language: input.language)
        let terms = CodeNormalizer.tokens(shown, language: input.language)
        guard !cleaned.isBlank else { return CandidateCheck(level: 0, failure: "no code in the answer", key: key, terms: terms) }
        if cut, code.isBlank {
            return CandidateCheck(level: 1, failure: Self.cutOffFailure, key: key, terms: terms)
        }
        if PlaceholderCode.isPlaceholder(code, language: input.language) {
            return CandidateCheck(level: 1, failure: "a placeholder, not an implementation", key: key, terms: terms)
        }
        var level = 1
        var notes: [String] = []
        let program = placed(code)
        // In a brace language the brackets are checked here too, where no toolchain is needed.
        if BraceBlock.applies(to: input.language), BraceBlock.unbalances(input.text, into: program) {
            return CandidateCheck(level: 1, failure: "leaves a block open or closes one too many", key: key, terms: terms)
        }
        if let syntax {
            switch await Self.placement(of: code, in: program, at: min(insertion.replace.lowerBound, input.text.utf8.count), language: input.language,
                                        path: input.path, checker: syntax) {
            case .compiles:
                level += 2
            case .parses(let message):
                return CandidateCheck(level: level + 1, failure: "does not compile: \(message)", key: key, terms: terms)
            case .fails(let message):
                return CandidateCheck(level: level, failure: "does not parse: \(message)", key: key, terms: terms)
            case .unchecked(let reason):
                notes.append(reason)
                level += 2
            }
        }
        if cut {
            return CandidateCheck(level: level, failure: Self.cutOffFailure, key: key, notes: notes, terms: terms)
        }
        level += 1
        if let sandbox, let examples {
            let total = DoctestExamples.count(in: examples)
            switch await sandbox.run(program: program, examples: examples) {
            case .ran(let passed, let ran):
                level += passed
                if passed < ran {
                    let failure = "\(ran - passed) of \(ran) examples failed"
                    return CandidateCheck(level: level, failure: failure, key: key, notes: notes, terms: terms)
                }
            case .crashed(let message):
                return CandidateCheck(level: level, failure: "the examples did not run: \(message)", key: key, notes: notes, terms: terms)
            case .timedOut:
                return CandidateCheck(level: level, failure: "the examples took too long", key: key, notes: notes, terms: terms)
            case .unavailable(let reason):
                notes.append(reason)
                level += total
            }
        }
        return CandidateCheck(level: level, key: key, notes: notes, terms: terms)
    }

    static let cutOffFailure = "cut off by the token limit"
    /// The level of code that parses in the file (and, in C and C++, may not compile).
    static let parsedLevel = 2
    /// The level of code that compiles in the file (or parses, where nothing more is checked).
    static let compiledLevel = 3

    /// What the language's check says of code placed in the file.
    enum Placement: Sendable, Hashable {
        /// It parses and, in C and C++, compiles.
        case compiles
        /// C, C++: it parses, but the compiler finds names or types wrong in it; its complaint.
        case parses(String)
        /// It does not parse, or the compiler's errors are not all in the code; its complaint.
        case fails(String)
        /// The check could not run here; why.
        case unchecked(String)
    }

    /// `code`, placed at byte `start` of the file to give `program`, checked by `checker`. Errors
    /// about names and types count as `parses` only when they are all on the code's own lines.
    static func placement(
        of code: String, in program: String, at start: Int, language: String, path: String?, checker: any SyntaxChecker
    ) async -> Placement {
        switch await checker.check(program, language: language, file: path) {
        case .valid: return .compiles
        case .invalid(let message): return .fails(message)
        case .unavailable(let reason): return .unchecked(reason)
        case .unresolved(let message, let lines):
            let bytes = program.utf8.prefix(start)
            let first = bytes.reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            let last = first + code.utf8.reduce(0) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
            return lines.allSatisfy { (first...last).contains($0) } ? .parses(message) : .fails(message)
        }
    }

    /// What complete inserts for an answer the token limit cut off inside its code
    /// (`Assistant.fill`): in a brace language the code up to its last complete statement
    /// (`BraceCleanup`); in Python, when it does not parse whole, the longest run of its whole
    /// lines that does (`ParsedPrefix`, with `syntax`); elsewhere nothing, as nothing tells
    /// where such code is whole.
    private func cutBack(_ candidate: String) async -> String {
        let code = CodeCleanup.code(from: candidate, for: insertion, cut: true)
        if BraceBlock.applies(to: input.language) { return code }
        guard ParsedPrefix.languages.contains(input.language), let syntax, !code.isBlank else { return "" }
        switch await syntax.check(placed(code), language: input.language, file: input.path) {
        case .invalid, .unresolved: break
        case .valid, .unavailable: return code
        }
        return await ParsedPrefix.of(code, language: input.language, path: input.path, checker: syntax, place: placed)
    }

    /// The last non-blank line without its indentation: re-indenting keeps it recognisable.
    static func lastLine(of text: String) -> String? {
        text.splitLines.last(where: { !$0.isBlank })?.trimmed
    }

    /// The document with `code` in place of the insertion's range.
    func placed(_ code: String) -> String {
        let bytes = Array(input.text.utf8)
        let lower = min(insertion.replace.lowerBound, bytes.count)
        let upper = min(max(insertion.replace.upperBound, lower), bytes.count)
        return String(decoding: bytes[..<lower], as: UTF8.self) + code + String(decoding: bytes[upper...], as: UTF8.self)
    }
}
