import ModelBackend
import SelfMoA
import Testing
import Tools
@testable import Assistant

/// The whole function asked for at an empty body gives way to the cursor fill when it gives
/// nothing for the body (`Assistant.complete`, `CompleteAction.strayed`).
@Suite struct WholeFunctionFallbackTests {
    private let source = "import os\n\n\ndef hypot(a, b):\n    \"\"\"The hypotenuse.\"\"\"\n‸"

    private func input(_ text: String, _ selection: Range<Int>) -> ActionInput {
        ActionInput(fileName: "shapes.py", language: "python", text: text, selection: selection)
    }

    private func settings(_ mode: SelfMoAMode) -> AssistantSettings {
        var settings = AssistantSettings()
        settings[action: .complete] = ActionSettings(samples: 2, wholeFunction: true, wholeFunctionMode: mode)
        return settings
    }

    /// An answer that ran to its cap restating the file above the function, and never wrote
    /// `def hypot`, would put that restatement into the body: the body is asked for at the
    /// cursor, and the cost report counts both runs.
    @Test(.enabled(if: ToolProcess.find("python3") != nil))
    func anAnswerCutBeforeItWroteTheFunctionGivesWayToTheCursor() async throws {
        let (text, cursor) = marked(source)
        let model = ScriptedModel(proposals: ["```python\nimport os\n\nLIMIT = 10\nSCALE = 2\n"], infill: true)
        model.finishReasonOf = { _ in "length" }
        model.infillAnswers = { _ in ["    return (a * a + b * b) ** 0.5"] }
        let result = try await Assistant(model: model, settings: settings(.selfMoA)).complete(input(text, cursor))

        #expect(model.completeRequests.first?.messages.contains { $0.content.contains("Complete the function `hypot`") } == true)
        #expect(!model.infillRequests.isEmpty)
        #expect(result.code.contains("return (a * a + b * b) ** 0.5"))
        #expect(result.refusal == nil)
        let whole = try #require(result.setAside)
        #expect(whole.reason == "the whole function asked for stopped at its token cap before it wrote `def hypot`, "
            + "so the body was asked for at the cursor")
        let report = result.cost
        #expect(report.notes.contains(whole.reason))
        #expect(report.samples == whole.cost.samples + result.run.plan.proposals)
        #expect(report.forwardPasses == whole.cost.forwardPasses + result.run.cost.forwardPasses)
        #expect(report.completionTokens == whole.cost.completionTokens + result.run.cost.completionTokens)
        #expect(!report.answerCut)
    }

    /// A cut answer that did write the function stands: its body, cut back to what parses, goes
    /// in, and nothing more is asked.
    @Test(.enabled(if: ToolProcess.find("python3") != nil))
    func aCutAnswerThatWroteTheFunctionStands() async throws {
        let (text, cursor) = marked(source)
        let answer = "```python\ndef hypot(a, b):\n    \"\"\"The hypotenuse.\"\"\"\n    s = a * a + b * b\n    return s ** 0.5\n    # and"
        let model = ScriptedModel(synthesis: answer, infill: true)
        model.finishReason = "length"
        let result = try await Assistant(model: model, settings: settings(.single)).complete(input(text, cursor))
        #expect(model.infillRequests.isEmpty)
        #expect(result.setAside == nil)
        #expect(result.code.contains("return s ** 0.5"))
    }

    /// When the cursor fill gives nothing either, its refusal is the answer, and the report
    /// still says the whole function was asked for first.
    @Test func bothAsksWithoutCodeRefuse() async throws {
        let (text, cursor) = marked("def f(x):\n    \"\"\"Twice.\"\"\"\n‸")
        let repeated = "```python\ndef f(x):\n    \"\"\"Twice.\"\"\"\n\n```"
        let model = ScriptedModel(proposals: [repeated], synthesis: repeated)
        let result = try await Assistant(model: model, settings: settings(.single)).complete(input(text, cursor))
        #expect(model.streamRequests.count == 1 && !model.completeRequests.isEmpty)
        #expect(result.code.isEmpty)
        #expect(result.refusal == "the model's answer held no code for this place; nothing was inserted")
        #expect(result.setAside?.reason == "the whole function asked for gave nothing to insert, so the body was asked for at the cursor")
    }
}
