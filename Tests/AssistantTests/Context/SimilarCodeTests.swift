import Foundation
import Tools
import SelfMoA
import Testing
@testable import Assistant

/// The code most like the code around the cursor, from the files beside the file.
@Suite struct SimilarCodeTests {
    /// A model builder's empty body: the file shows its header only.
    private let lines = [
        "#include \"models.h\"",
        "",
        "llm_build_stablelm::llm_build_stablelm(const llama_model & model, const llm_graph_params & params) : llm_graph_context(params) {",
        "    ",
        "}",
    ]

    private func builder(_ name: String) -> String {
        (["#include \"models.h\"", "",
          "llm_build_\(name)::llm_build_\(name)(const llama_model & model, const llm_graph_params & params) : llm_graph_context(params) {",
          "    const int64_t n_embd_head = hparams.n_embd_head_v;",
          "    ggml_tensor * cur;",
          "    ggml_tensor * inpL = build_inp_embd(model.tok_embd);",
          "}"] + (0..<60).map { "// \(name) note \($0)" }).joined(separator: "\n")
    }

    @Test func theMostSimilarWindowComesFirstUnderItsFilesName() {
        let unrelated = (0..<50).map { "static int parse_number(const char * text, int base) { return \($0); }" }.joined(separator: "\n")
        let related = SimilarCode.related(
            around: 3, of: lines, files: [("json.cpp", unrelated), ("gptneox.cpp", builder("gptneox"))])
        #expect(related.first?.fileName == "gptneox.cpp")
        #expect(related.first?.relation == .similar)
        #expect(related.first?.text.hasPrefix("#include \"models.h\"\n\nllm_build_gptneox::") == true)
        #expect(related.first?.text.contains("ggml_tensor * inpL = build_inp_embd(model.tok_embd);") == true)
    }

    /// At most two windows, from different places: never two overlapping windows of one file.
    @Test func windowsDoNotOverlapAndAreFew() {
        let related = SimilarCode.related(
            around: 3, of: lines, files: [("a.cpp", builder("a")), ("b.cpp", builder("b")), ("c.cpp", builder("c"))])
        #expect(related.count == SimilarCode.maximumWindows)
        #expect(Set(related.map(\.fileName)).count == related.count)
        #expect(related.allSatisfy { $0.text.split(separator: "\n").count <= SimilarCode.windowLines })
    }

    /// Nothing alike, nothing shown: a window must share some of the cursor's identifiers.
    @Test func unrelatedFilesGiveNothing() {
        let other = "alpha beta gamma\ndelta epsilon zeta\n"
        #expect(SimilarCode.related(around: 3, of: lines, files: [("other.cpp", other)]).isEmpty)
        #expect(SimilarCode.related(around: 3, of: lines, files: []).isEmpty)
        #expect(SimilarCode.related(around: 0, of: [], files: [("a.cpp", builder("a"))]).isEmpty)
    }

    /// Identifiers: letters, digits and `_`, not starting with a digit, two characters or more.
    @Test func identifiersAreWordsOfTwoCharactersOrMore() {
        let found = SimilarCode.identifiers(["int n_embd = x2 + 3 * y; // é_t 9z"])
        #expect(found == ["int", "n_embd", "x2", "é_t"])
    }
}

/// Where complete looks for the code: the editor's open documents, then the files beside.
@Suite struct AssistantSimilarCodeTests {
    /// A file open in the editor counts as the editor holds it, not as saved.
    @Test func anOpenDocumentStandsForItsFileOnDisk() throws {
        let root = try Scratch.directory()
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "int saved_version(int count) { return count; }\n".write(toFile: root + "/other.c", atomically: true, encoding: .utf8)
        let text = "int total_count(int count) {\n    \n}\n"
        try text.write(toFile: root + "/main.c", atomically: true, encoding: .utf8)
        let edited = OpenFile(fileName: "other.c", path: root + "/other.c", text: "int edited_total(int count) { return count * 2; }\n")
        let input = ActionInput(
            fileName: "main.c", language: "c", text: text, selection: 32..<32, path: root + "/main.c", openFiles: [edited])
        let related = Assistant.similarCode(input, ContextExtractor.insertion(input))
        #expect(related.map(\.text) == ["int edited_total(int count) { return count * 2; }"])
        var unopened = input
        unopened.openFiles = []
        #expect(Assistant.similarCode(unopened, ContextExtractor.insertion(unopened)).map(\.text) == ["int saved_version(int count) { return count; }"])
    }
}
