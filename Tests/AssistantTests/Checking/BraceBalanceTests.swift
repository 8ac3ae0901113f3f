import ModelBackend
import SelfMoA
import Testing
import Tools
@testable import Assistant

/// A toolchain that cannot check here (a C file's own headers missing, no tsc).
struct UnavailableSyntaxChecker: SyntaxChecker {
    func check(_ source: String, language: String) async -> SyntaxVerdict { .unavailable("no toolchain here") }
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

    @Test func anAnswerCutMidBlockIsNotInsertedEvenWithoutAToolchain() async throws {
        let model = ScriptedModel(synthesis: "    if (x > 0) {\n        return 2 * x;")
        let result = try await Assistant(model: model, settings: settings(samples: 1), syntaxChecker: UnavailableSyntaxChecker())
            .complete(input())
        #expect(result.code.isEmpty)
        #expect(result.refusal?.contains("balances its braces in t.c") == true)
    }

    @Test func aBalancedCandidateWinsOverOnesThatLeaveABlockOpen() async throws {
        let model = ScriptedModel(proposals: [
            "    if (x > 0) {\n        return 2 * x;", "    return 2 * x;", "    while (1) {", "    for (;;) {\n        x++;",
        ])
        var configured = settings(samples: 4)
        configured.complete.answer = .central
        let result = try await Assistant(model: model, settings: configured, syntaxChecker: UnavailableSyntaxChecker())
            .complete(input())
        #expect(result.code.contains("return 2 * x;"))
        #expect(!result.code.contains("{"))
        #expect(result.refusal == nil)
    }
}
