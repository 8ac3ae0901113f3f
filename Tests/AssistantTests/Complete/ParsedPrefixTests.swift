import ModelBackend
import SelfMoA
import Testing
import Tools
@testable import Assistant

/// A Python answer the token cap cut off inside its code: the longest run of its whole lines
/// that parses in the file goes in, with a note; nothing when no such run exists.
@Suite struct ParsedPrefixTests {
    private let file = "class Pool:\n    def take(self, n):\n        \n"

    private func complete(_ answer: String, cut: Bool) async throws -> CompleteResult {
        let model = ScriptedModel(synthesis: answer)
        if cut { model.finishReason = "length" }
        var settings = AssistantSettings()
        settings.complete = ActionSettings(samples: 1, mode: .single, infill: false)
        let input = ActionInput(fileName: "pool.py", language: "python", text: file, selection: 43..<43)
        return try await Assistant(model: model, settings: settings).complete(input)
    }

    @Test(.enabled(if: ToolProcess.find("python3") != nil)) func aCutAnswerEndsWhereItsLinesStillParse() async throws {
        let answer = """
                    total = 0
                    try:
                        total = self.size - n
                    except TypeError:
                        return None
                    if total < 0:
                        raise ValueError("not eno
            """
        let result = try await complete(answer, cut: true)
        #expect(result.refusal == nil)
        #expect(result.code.hasSuffix("return None"), "\(result.code)")
        #expect(!result.code.contains("if total < 0"))
        #expect(result.cost.notes.contains(CompleteResult.cutBackNote))
    }

    @Test(.enabled(if: ToolProcess.find("python3") != nil)) func nothingParsesNothingGoesIn() async throws {
        let result = try await complete("        try:\n            total = self.size - n\n            if tot", cut: true)
        #expect(result.code.isEmpty)
        #expect(result.refusal != nil)
    }

    @Test(.enabled(if: ToolProcess.find("python3") != nil)) func anAnswerThatParsesIsNotCutBack() async throws {
        let result = try await complete("        total = self.size - n\n        return total", cut: true)
        #expect(result.code.hasSuffix("return total"))
        #expect(!result.cost.notes.contains(CompleteResult.cutBackNote))
    }

    /// An infill sample that wrote the body, then the file's next functions until the token cap:
    /// its code ended before the cap, so the whole body goes in (not only the lines before the
    /// first indented one), without a note that it was cut back.
    @Test(.enabled(if: ToolProcess.find("python3") != nil)) func aSampleThatRanIntoTheNextFunctionIsWhole() async throws {
        let file = "def probe():\n    return (10, 14)\n\n\ndef supports():\n    \n\n\ndef other():\n    pass\n"
        let sample = "version = probe()\n    if version >= (10, 15):\n        return True\n    return False\n\ndef supports_xcode():\n    return os.path.exi"
        let model = ScriptedModel(proposals: [sample], infill: true)
        model.finishReason = "length"
        var settings = AssistantSettings()
        settings.complete = ActionSettings(samples: 1, mode: .single)
        let cursor = file.utf8.count - "\n\n\ndef other():\n    pass\n".utf8.count
        let input = ActionInput(fileName: "probe.py", language: "python", text: file, selection: cursor..<cursor)
        let result = try await Assistant(model: model, settings: settings).complete(input)
        #expect(result.refusal == nil)
        #expect(result.code == "version = probe()\n    if version >= (10, 15):\n        return True\n    return False", "\(result.code)")
        #expect(!result.cost.notes.contains(CompleteResult.cutBackNote))
    }
}
