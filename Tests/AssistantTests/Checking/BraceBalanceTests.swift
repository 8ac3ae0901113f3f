import Foundation
import ModelBackend
import SelfMoA
import Testing
import Tools
@testable import Assistant

/// A toolchain that cannot check here (a C file's own headers missing, no tsc).
struct UnavailableSyntaxChecker: SyntaxChecker {
    func check(_ source: String, language: String) async -> SyntaxVerdict { .unavailable("no toolchain here") }
}

/// Records where each check says the file is.
final class PathRecordingSyntaxChecker: SyntaxChecker, @unchecked Sendable {
    private let lock = NSLock()
    private var _paths: [String?] = []
    var paths: [String?] { lock.withLock { _paths } }

    func check(_ source: String, language: String) async -> SyntaxVerdict { .valid }
    func check(_ source: String, language: String, file path: String?) async -> SyntaxVerdict {
        lock.withLock { _paths.append(path) }
        return .valid
    }
}

/// In brace languages the brackets are checked without a toolchain: a candidate that leaves a
/// block open ranks low, and when every candidate does, nothing is inserted.
@Suite struct BraceBalanceTests {
    private let file = "int twice(int x) {\n\n}\n"

    private func input() -> ActionInput {
        ActionInput(fileName: "t.c", language: "c", text: file, selection: 18..<18)
    }

    private func settings(samples: Int) -> AssistantSettings {
        var settings = AssistantSettings()
        settings.complete = ActionSettings(samples: samples, mode: samples == 1 ? .single : .selfMoA, infill: false)
        return settings
    }

    @Test func balanceCountsOpenBlocksAndStrayCloses() {
        #expect(BraceBlock.balance(of: "a { b { c } ").open == 1)
        #expect(BraceBlock.balance(of: "} a { }").unmatched == 1)
        #expect(BraceBlock.unbalances(file, into: "int twice(int x) {\n    if (x) {\n        return 2 * x;\n}\n"))
        #expect(!BraceBlock.unbalances(file, into: "int twice(int x) {\n    return 2 * x;\n}\n"))
        // Closing a block the file left open is an improvement, not a fault.
        #expect(!BraceBlock.unbalances("int f(void) {\n", into: "int f(void) {\n    return 1;\n}\n"))
    }

    @Test func anUnbalancedAnswerIsNotInsertedEvenWithoutAToolchain() async throws {
        let model = ScriptedModel(synthesis: "    if (x > 0) {\n        return twice_of(2 * x;\n    }")
        let result = try await Assistant(model: model, settings: settings(samples: 1), syntaxChecker: UnavailableSyntaxChecker())
            .complete(input())
        #expect(result.code.isEmpty)
        #expect(result.refusal?.contains("balances its brackets in t.c") == true)
    }

    /// A model that took the file's `}` for its own block's, and stopped: its blocks are closed.
    @Test func anAnswerThatEndedWithABlockOpenHasItClosed() async throws {
        let model = ScriptedModel(synthesis: "    if (x > 0) {\n        return 2 * x;")
        let result = try await Assistant(model: model, settings: settings(samples: 1), syntaxChecker: UnavailableSyntaxChecker())
            .complete(input())
        #expect(result.refusal == nil)
        #expect(result.code.drop { $0 == "\n" } == "    if (x > 0) {\n        return 2 * x;\n    }")
    }

    @Test func closingOpenBlocks() {
        #expect(BraceCleanup.closingOpenBlocks("    guard let x = y else {\n        return nil", language: "swift")
            == "    guard let x = y else {\n        return nil\n    }")
        #expect(BraceCleanup.closingOpenBlocks("  if (a) {\n    for (const x of xs) {\n      f(x);\n", language: "javascript")
            == "  if (a) {\n    for (const x of xs) {\n      f(x);\n    }\n  }")
        // An unfinished expression, a block closed that the answer did not open, Python: as they are.
        #expect(BraceCleanup.closingOpenBlocks("  if (a) {\n    f(x,", language: "javascript") == "  if (a) {\n    f(x,")
        #expect(BraceCleanup.closingOpenBlocks("  return 1;\n}\nif (a) {", language: "c") == "  return 1;\n}\nif (a) {")
        #expect(BraceCleanup.closingOpenBlocks("    if a {", language: "python") == "    if a {")
    }

    @Test func aBalancedCandidateWinsOverUnbalancedOnes() async throws {
        let model = ScriptedModel(proposals: [
            "    if (x > 0 {\n        return 2 * x;\n    }", "    return 2 * x;", "    while (g(1) {\n    }", "    for (;;) {\n        x++;\n    }\n    }",
        ])
        var configured = settings(samples: 4)
        configured.complete.answer = .central
        let result = try await Assistant(model: model, settings: configured, syntaxChecker: UnavailableSyntaxChecker())
            .complete(input())
        #expect(result.code.contains("return 2 * x;"))
        #expect(!result.code.contains("{"))
        #expect(result.refusal == nil)
    }

    @Test func parenthesesBracketsAndPreprocessorConditionalsCountToo() {
        #expect(BraceBlock.balance(of: "f(a, g(b)").open == 1)
        #expect(BraceBlock.balance(of: "x = a[1]]").unmatched == 1)
        #expect(BraceBlock.balance(of: "#if A\nint x;\n#ifdef B\n#endif\n").open == 1)
        #expect(BraceBlock.balance(of: "  #  endif\n").unmatched == 1)
        // In comments and literals they count for nothing.
        #expect(BraceBlock.balance(of: "s = \"(\"; // [\nc = ')';").open == 0)
        // A stray `#endif` in the answer (the model copied one from below) unbalances the file.
        let original = "#ifdef FAST\nint f(void) {\n\n}\n#endif\n"
        #expect(BraceBlock.unbalances(original, into: "#ifdef FAST\nint f(void) {\n    return 1;\n    #endif\n}\n#endif\n"))
        #expect(BraceBlock.unbalances(file, into: "int twice(int x) {\n    return g(2 * x;\n}\n"))
    }

    @Test func aCutAnswerEndsAtItsLastCompleteStatement() {
        let lines = ["int total = 0;", "for (int i = 0; i < n; i++) {", "    total += a[i];", "}", "if (total > 0) {", "    return tot"]
        #expect(BraceCleanup.lastCompleteStatement(lines, language: "c") == Array(lines.prefix(4)))
        // Mid-call, mid-expression, or only a comment left: nothing complete.
        #expect(BraceCleanup.lastCompleteStatement(["x = f(a,", "      b"], language: "c").isEmpty)
        #expect(BraceCleanup.lastCompleteStatement(["// the total", "int t"], language: "cpp").isEmpty)
        // Swift and JavaScript statements need no `;`, but a line ending in an operator goes on.
        #expect(BraceCleanup.lastCompleteStatement(["let a = x", "let b = a +", "    y"], language: "swift") == ["let a = x"])
        #expect(BraceCleanup.lastCompleteStatement(["const a = x", "return a +"], language: "javascript") == ["const a = x"])
        #expect(BraceCleanup.lastCompleteStatement(["int a = x", "return a;"], language: "c").isEmpty)
    }

    @Test func anAnswerTheCapCutIsInsertedUpToItsLastCompleteStatementWithANote() async throws {
        let model = ScriptedModel(synthesis: "    int y = 2 * x;\n    if (y > 0) {\n        y += twi")
        model.finishReason = "length"
        let result = try await Assistant(model: model, settings: settings(samples: 1), syntaxChecker: UnavailableSyntaxChecker())
            .complete(input())
        #expect(result.code.drop { $0 == "\n" } == "    int y = 2 * x;")
        #expect(result.refusal == nil)
        #expect(result.cost.notes.contains(CompleteResult.cutBackNote))
    }

    /// Every candidate ran to its cap: the one whose code up to its last complete statement
    /// compiles answers, though the others are more alike, and goes in cut back.
    @Test func amongCandidatesTheCapCutTheOneWhoseWholeStatementsParseAnswers() async throws {
        let model = ScriptedModel(proposals: [
            "    int y = BROKEN;\n    if (y > 0) {\n        y += 1",
            "    int y = 2 * x;\n    while (y > 100) {\n        y -= 1",
            "    int y = BROKEN;\n    if (y > 0) {\n        y += 2",
        ])
        model.finishReason = "length"
        var settings = settings(samples: 3)
        settings.complete = settings.complete.applying(ActionSettings(checkSyntax: true, answer: .central, correctUnparsed: false))
        let result = try await Assistant(model: model, settings: settings, syntaxChecker: MarkerSyntaxChecker()).complete(input())
        #expect(result.refusal == nil)
        #expect(result.code.drop { $0 == "\n" } == "    int y = 2 * x;")
        #expect(result.cost.notes.contains(CompleteResult.cutBackNote))
        // The greedy proposal is a request of its own, so the samples start again at the first text.
        let levels = Dictionary(uniqueKeysWithValues: result.run.selection.entries.map { ($0.index, $0.check?.level) })
        #expect(levels == [0: 1, 1: 1, 2: CompleteChecker.compiledLevel])
    }

    @Test func anAnswerThatEndedOnItsOwnIsNotCutBack() async throws {
        let model = ScriptedModel(synthesis: "    int y = 2 * x;\n    return y")
        let result = try await Assistant(model: model, settings: settings(samples: 1), syntaxChecker: UnavailableSyntaxChecker())
            .complete(input())
        #expect(result.code.drop { $0 == "\n" } == "    int y = 2 * x;\n    return y")
        #expect(!result.cost.notes.contains(CompleteResult.cutBackNote))
    }

    /// The file's place on disk goes to every check, so a C file's headers are found as its
    /// build finds them (`CompilationFlags`).
    @Test func checksKnowWhereTheFileIs() async throws {
        let model = ScriptedModel(proposals: ["    return 2 * x;", "    return x + x;"])
        var input = input()
        input.path = "/src/twice/t.c"
        let checker = PathRecordingSyntaxChecker()
        _ = try await Assistant(model: model, settings: settings(samples: 2), syntaxChecker: checker).complete(input)
        #expect(!checker.paths.isEmpty)
        #expect(checker.paths.allSatisfy { $0 == "/src/twice/t.c" })
    }
}
