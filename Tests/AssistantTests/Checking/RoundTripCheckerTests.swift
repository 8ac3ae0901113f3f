import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

/// explain's round trip over a scripted model: the candidate from which the model rebuilds the
/// explained code most closely ranks highest.
@Suite struct RoundTripCheckerTests {
    private let code = ["def total_value(items):", "    total = 0", "    for item in items:",
                        "        total = item.price * item.quantity", "    return total"]

    /// A model whose rewrite depends on what the description says.
    private func model() -> ScriptedModel {
        let model = ScriptedModel()
        let code = code
        model.answers = { request in
            guard request.messages.first?.content == RoundTripPrompt.system else { return nil }
            let user = request.messages.last?.content ?? ""
            if user.contains("overwrites") { return ["```python\n" + code.joined(separator: "\n") + "\n```"] }
            return ["```python\ndef total_value(items):\n    return sum(i.price * i.quantity for i in items)\n```"]
        }
        return model
    }

    @Test func anExplanationThatRebuildsTheCodeRanksAboveOneThatDoesNot() async throws {
        let model = model()
        let ledger = RoundTripLedger()
        let checker = try #require(RoundTripChecker(model: model, code: code, language: "python", ledger: ledger))
        let faithful = await checker.check("Each pass overwrites `total` with one item's value.")
        let intended = await checker.check("It sums the value of every item.")
        #expect(faithful.level == 1 + Int(RoundTripChecker.resolution))
        #expect(intended.level > 1 && intended.level < faithful.level)
        #expect(await ledger.cost.count == 2)
        #expect(await ledger.cost.usage.completionTokens == 20)
        // The rewrite is greedy, asked with the code's first line, in the code's language.
        let request = try #require(model.completeRequests.first)
        #expect(request.options.temperature == 0)
        #expect(request.messages.last?.content.hasSuffix("The code starts with:\n```python\ndef total_value(items):\n```") == true)
    }

    @Test func theDescriptionLeavesOutTheExplanationsCodeBlocks() {
        let explanation = "It sums.\n\n```python\ntotal = item.price\n```\n- Returns `total`."
        #expect(RoundTripChecker.description(of: explanation) == "It sums.\n\n- Returns `total`.")
    }

    @Test func aDegenerateCandidateIsNotRebuilt() async throws {
        let model = model()
        let checker = try #require(RoundTripChecker(model: model, code: code, language: "python", ledger: RoundTripLedger()))
        let cut = await checker.check("It overwrites the total", cutOff: true)
        let looping = await checker.check("- It overwrites the total here.\n- It overwrites the total here.")
        #expect(cut.level == 0 && looping.level == 0)
        #expect(model.completeRequests.isEmpty)
    }

    @Test func aFailedRewriteLeavesTheCandidateSoundAndIsRecorded() async throws {
        let model = ScriptedModel()
        model.completeError = { _ in ModelBackendError(.timeout, "the backend took too long") }
        let ledger = RoundTripLedger()
        let checker = try #require(RoundTripChecker(model: model, code: code, language: "python", ledger: ledger))
        let check = await checker.check("It overwrites the total.")
        #expect(check.level == 1 && check.failure == nil)
        #expect(await ledger.cost.failures == ["the backend took too long"])
    }

    @Test func codeTooLongOrWithoutALineToStartFromIsNotRoundTripped() {
        let long = Array(repeating: String(repeating: "x", count: 99), count: 61)
        #expect(RoundTripChecker(model: ScriptedModel(), code: long, language: "python", ledger: RoundTripLedger()) == nil)
        #expect(RoundTripChecker(model: ScriptedModel(), code: ["", "# only a comment"], language: "python", ledger: RoundTripLedger()) == nil)
    }
}
