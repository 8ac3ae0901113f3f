import ModelBackend
import SelfMoA
import Testing
import Tools
@testable import Assistant

/// When no candidate's code parses, the model is shown the code and the checker's message and
/// asked once more (`correctUnparsed`, `Assistant.correctedByModel`).
@Suite struct CorrectUnparsedTests {
    private let source = "function inc(x) {\n    ‸\n}\n"

    private func input() -> ActionInput {
        let (text, cursor) = marked(source)
        return ActionInput(fileName: "inc.js", language: "javascript", text: text, selection: cursor)
    }

    private func model(proposal: String, correction: String) -> ScriptedModel {
        let model = ScriptedModel(proposals: [proposal], synthesis: correction, infill: true)
        model.answers = { request in
            request.messages.contains { $0.content.contains("With it the file does not compile") } ? [correction] : nil
        }
        return model
    }

    private func settings(correct: Bool? = nil) -> AssistantSettings {
        var settings = AssistantSettings()
        settings[action: .complete] = ActionSettings(samples: 2, correctUnparsed: correct)
        return settings
    }

    private func corrections(_ model: ScriptedModel) -> [ChatRequest] {
        (model.completeRequests + model.streamRequests).filter { request in
            request.messages.contains { $0.content.contains("With it the file does not compile") }
        }
    }

    /// Over the real node: every candidate leaves an expression unfinished; the correction,
    /// asked with node's message and the code, parses and goes in, and the report counts it.
    @Test(.enabled(if: ToolProcess.find("node") != nil)) func aCorrectionThatParsesGoesIn() async throws {
        let model = model(proposal: "return x +;", correction: "```javascript\nreturn x + 1;\n```")
        let result = try await Assistant(model: model, settings: settings()).complete(input())
        #expect(result.refusal == nil)
        #expect(result.code == "return x + 1;")
        let asked = try #require(corrections(model).first)
        let prompt = asked.messages.map(\.content).joined(separator: "\n")
        #expect(prompt.contains("return x +;"))
        #expect(prompt.contains("SyntaxError"))
        #expect(prompt.contains("function inc(x)"))
        #expect(corrections(model).count == 1)
        #expect(result.cost.corrections == 1)
        #expect(result.cost.summary.contains("1 correction from the checker's message"))
        #expect(result.cost.notes.contains { $0.hasPrefix("no candidate's code parsed (SyntaxError") && $0.hasSuffix("the model corrected it from that message") })
    }

    /// A correction that does not parse either is not inserted: the refusal stands, and the
    /// report still counts the request and says what became of it.
    @Test(.enabled(if: ToolProcess.find("node") != nil)) func aCorrectionThatDoesNotParseLeavesTheRefusal() async throws {
        let model = model(proposal: "return x +;", correction: "```javascript\nreturn x * ;\n```")
        let result = try await Assistant(model: model, settings: settings()).complete(input())
        #expect(result.code.isEmpty)
        #expect(result.refusal?.hasPrefix("no candidate's code parses in inc.js") == true)
        #expect(corrections(model).count == 1)
        #expect(result.cost.corrections == 1)
        #expect(result.cost.notes.contains { $0.hasPrefix("the model's correction from the checker's message does not parse either (SyntaxError") })
    }

    /// A correction the token cap cut goes in up to its last complete statement, as any answer,
    /// when that parses; the report says it was cut.
    @Test(.enabled(if: ToolProcess.find("node") != nil)) func aCorrectionCutAtItsCapIsTakenBackToWhereItIsWhole() async throws {
        let model = model(proposal: "return x +;", correction: "```javascript\nconst y = x + 1;\nreturn y;\nconsole.log(inc(")
        model.streamFinishReason = "length"
        let result = try await Assistant(model: model, settings: settings()).complete(input())
        #expect(result.refusal == nil)
        #expect(result.code == "const y = x + 1;\n    return y;")
        #expect(result.cost.notes.contains { $0.hasSuffix("the model corrected it from that message, and " + CompleteResult.cutBackNote) })
    }

    /// Off, nothing more is asked.
    @Test(.enabled(if: ToolProcess.find("node") != nil)) func offNothingMoreIsAsked() async throws {
        let model = model(proposal: "return x +;", correction: "```javascript\nreturn x + 1;\n```")
        let result = try await Assistant(model: model, settings: settings(correct: false)).complete(input())
        #expect(result.code.isEmpty)
        #expect(corrections(model).isEmpty)
        #expect(result.cost.corrections == 0)
    }

    /// Unbalanced brackets need no toolchain: the model is told what is wrong with them.
    @Test func unbalancedBracketsAreExplainedToTheModel() async throws {
        let model = model(proposal: "return x + 1);", correction: "```javascript\nreturn x > 0 ? x + 1 : x;\n```")
        let result = try await Assistant(model: model, settings: settings()).complete(input())
        let prompt = try #require(corrections(model).first).messages.map(\.content).joined(separator: "\n")
        #expect(prompt.contains("its brackets do not balance"))
        if ToolProcess.find("node") != nil { #expect(result.code == "return x > 0 ? x + 1 : x;") }
    }

    @Test func theModelSeesTheMessageWithoutItsPosition() {
        #expect(Assistant.withoutPosition("<stdin>:12:5: error: use of undeclared identifier 'idx'")
            == "error: use of undeclared identifier 'idx'")
        #expect(Assistant.withoutPosition("SyntaxError: Unexpected token ';'") == "SyntaxError: Unexpected token ';'")
        #expect(Assistant.withoutPosition("/tmp/a.ts:3: error TS1005: ';' expected.") == "error TS1005: ';' expected.")
    }
}
