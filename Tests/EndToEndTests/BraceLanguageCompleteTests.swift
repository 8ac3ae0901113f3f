import BackendStandIn
import Foundation
import JSON
import JSONRPC
import LSPTestSupport
import Testing
import Tools

/// complete in the brace languages, through the real binary over pipes: the model's restated
/// function, its closing delimiter and the usage code it appends are cut by the language's
/// brackets, and the edited file still parses with the language's own toolchain.
@Suite(.serialized) struct BraceLanguageCompleteTests {
    struct Case: Sendable, CustomStringConvertible {
        var language: String
        var file: String
        /// The file, with the cursor at the start of line `cursorLine` (0-based), an empty line
        /// inside a block whose closing brace is in place.
        var text: String
        var cursorLine: Int
        /// What the model answers (by fill-in-the-middle, as the stand-in offers it): the whole
        /// function again, closed, then usage code.
        var answer: String
        /// A line the inserted code must hold.
        var expected: String
        /// The toolchain's syntax check: executable and arguments before the file.
        var check: [String]
        var description: String { file }
    }

    static let cases: [Case] = [
        Case(
            language: "javascript", file: "scale.js",
            text: "/** Scales every value by k. */\nconst scale = (values, k) => {\n\n};\n\nmodule.exports = { scale };\n",
            cursorLine: 2,
            answer: "const scale = (values, k) => {\n  return values.map((v) => v * k);\n};\n\n// Test cases\nconsole.log(scale([1, 2], 3));",
            expected: "return values.map((v) => v * k);", check: ["node", "--check"]),
        Case(
            language: "javascript", file: "nested.js",
            text: "function makeScaler(k) {\n  function scale(values) {\n\n  }\n  return scale;\n}\n\nmodule.exports = { makeScaler };\n",
            cursorLine: 2,
            answer: "function scale(values) {\n    return values.map((v) => v * k);\n  }\n  return scale;\n}\n\nconsole.log(makeScaler(2)([1, 2]));",
            expected: "return values.map((v) => v * k);", check: ["node", "--check"]),
        Case(
            language: "typescript", file: "scale.ts",
            text: "export function scale(values: number[], k: number): number[] {\n\n}\n",
            cursorLine: 1,
            answer: "function scale(values: number[], k: number): number[] {\n    return values.map(v => v * k);\n}\n\nconsole.log(scale([1], 2));",
            expected: "return values.map(v => v * k);", check: ["tsc", "--noEmit", "--skipLibCheck"]),
        Case(
            language: "swift", file: "scale.swift",
            text: "struct Scaler {\n    var k: Double\n    func scale(_ values: [Double]) -> [Double] {\n\n    }\n}\n",
            cursorLine: 3,
            answer: "func scale(_ values: [Double]) -> [Double] {\n    return values.map { $0 * k }\n}\n\nprint(Scaler(k: 2).scale([1, 2]))",
            expected: "return values.map { $0 * k }", check: ["swiftc", "-parse"]),
        Case(
            language: "c", file: "scale.c",
            text: "#include <stddef.h>\n\nvoid scale(double *values, size_t n, double k) {\n\n}\n",
            cursorLine: 3,
            answer: "void scale(double *values, size_t n, double k) {\n    for (size_t i = 0; i < n; i++) {\n        values[i] *= k;\n    }\n}\n\nint main(void) {\n    double v[] = {1, 2};\n    scale(v, 2, 3);\n    return 0;\n}",
            expected: "values[i] *= k;", check: ["cc", "-fsyntax-only", "-x", "c"]),
        Case(
            language: "cpp", file: "scale.cpp",
            text: "#include <vector>\n\nclass Scaler {\npublic:\n    void scale(std::vector<double>& values, double k) {\n\n    }\n};\n",
            cursorLine: 5,
            answer: "void scale(std::vector<double>& values, double k) {\n    for (auto& v : values) v *= k;\n}\n};\n\nint main() { return 0; }",
            expected: "for (auto& v : values) v *= k;", check: ["c++", "-fsyntax-only", "-x", "c++"]),
    ]

    /// Opens `text` at `uri` in the real binary, over a stand-in that answers `answer` to every
    /// request mentioning `mentioning` (after `rules`), runs `selfmoa.complete` at the start of line `line`,
    /// hands the server to `inspect` (for what it showed) and shuts it down cleanly. The
    /// command's result.
    static func complete(
        _ text: String, uri: String, language: String, line: Int, answer: String, mentioning: String,
        options: [String: JSONValue] = ["samples": 2], rules: [StandInRule] = [],
        alsoOpen: [(uri: String, language: String, text: String)] = [],
        inspect: (BinaryServer) async throws -> Void = { _ in }
    ) async throws -> JSONValue {
        let standIn = StandInBackend(script: StandInScript(rules: rules + [StandInRule(contains: mentioning, in: .any, answer: answer)]))
        try await standIn.start()
        defer { Task { await standIn.stop() } }
        let server = try BinaryServer(arguments: ["--log-level", "debug"])
        var initialization = options
        initialization["backend"] = ["url": .string(standIn.url)]
        _ = try await server.client.request("initialize", [
            "capabilities": ClientProfiles.full, "initializationOptions": .object(initialization),
        ])
        server.client.notify("initialized", [:])
        for (uri, language, text) in [(uri, language, text)] + alsoOpen {
            server.client.notify("textDocument/didOpen", ["textDocument": [
                "uri": .string(uri), "languageId": .string(language), "version": 1, "text": .string(text)]])
        }
        let position: JSONValue = ["line": .int(Int64(line)), "character": 0]
        let result = try await server.client.request("workspace/executeCommand", [
            "command": "selfmoa.complete",
            "arguments": [["textDocument": ["uri": .string(uri), "version": 1], "range": ["start": position, "end": position]]],
        ])
        try await inspect(server)
        _ = try await server.client.request("shutdown")
        server.client.notify("exit")
        #expect(try await server.waitForExit() == 0)
        return result
    }

    /// A scratch project: `files` by their paths under its root (directories made as needed).
    static func project(_ name: String, _ files: [String: String]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("selfmoa-\(name)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        for (path, text) in files {
            let file = root + "/" + path
            try FileManager.default.createDirectory(
                atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: file, atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test(arguments: cases) func theAnswerFitsTheFileAndParses(_ testCase: Case) async throws {
        let result = try await Self.complete(
            testCase.text, uri: "file:///tmp/\(testCase.file)", language: testCase.language, line: testCase.cursorLine,
            answer: testCase.answer, mentioning: "scale")
        let code = try #require(result["code"]?.stringValue)
        #expect(code.contains(testCase.expected), "\(code)")
        #expect(!code.contains("console.log") && !code.contains("main(") && !code.contains("print("), "\(code)")
        #expect(!code.contains("scale("), "the restated header stayed: \(code)")

        // The file as the editor holds it after the edit parses, where the toolchain is here.
        var lines = testCase.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[testCase.cursorLine] = code + lines[testCase.cursorLine]
        let edited = lines.joined(separator: "\n")
        if let tool = ToolProcess.find(testCase.check[0]) {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("selfmoa-brace-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let path = directory.appendingPathComponent(testCase.file).path
            try edited.write(toFile: path, atomically: true, encoding: .utf8)
            let outcome = await ToolProcess(
                executable: tool, arguments: Array(testCase.check.dropFirst()) + [path], workingDirectory: directory.path,
                timeout: .seconds(60)
            ).run()
            #expect(outcome.succeeded, "\(testCase.check[0]) rejected:\n\(edited)\n\(outcome.stderr)")
        }
        #expect(result["applied"] == true)
    }

    /// A C file in a project whose header lives in `include/`, found only through the project's
    /// compile_commands.json: the candidate is compiled with it, so an answer using a member the
    /// header's struct lacks goes in with the compiler's words (it parses), one that does not
    /// parse is refused with them, one that fits goes in, and one that misspells a member goes in
    /// with the compiler's correction.
    @Test(.enabled(if: ToolProcess.find("cc") != nil)) func cCandidatesAreCheckedWithTheProjectsHeaders() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("selfmoa-cproject-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: root + "/include", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/src", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: root) }
        try "#include <stddef.h>\nstruct vec { double *items; size_t n; };\n".write(toFile: root + "/include/vec.h", atomically: true, encoding: .utf8)
        try """
            [{"directory": "\(root)", "file": "src/scale.c", "command": "cc -Iinclude -c src/scale.c"}]
            """.write(toFile: root + "/compile_commands.json", atomically: true, encoding: .utf8)
        let text = "#include \"vec.h\"\n\nvoid scale(struct vec *v, double k) {\n\n}\n"
        try text.write(toFile: root + "/src/scale.c", atomically: true, encoding: .utf8)

        func complete(answering answer: String) async throws -> JSONValue {
            try await Self.complete(text, uri: "file://\(root)/src/scale.c", language: "c", line: 3, answer: answer, mentioning: "scale")
        }

        // A member the struct lacks: the code parses, so it goes in with the compiler's words.
        let wrong = try await complete(answering: "    for (size_t i = 0; i < v->count; i++) {\n        v->items[i] *= k;\n    }")
        #expect(wrong["applied"] == true, "\(wrong)")
        let complaint = wrong["stats"]?["notes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(complaint.contains { $0.hasPrefix("no candidate's code compiles here") && $0.contains("count") }, "\(complaint)")
        // Code that does not parse is refused with them.
        let broken = try await complete(answering: "    for (size_t i = 0; i < v->n; i++) {\n        v->items[i] *= k @ 2;\n    }")
        #expect(broken["applied"] == false, "\(broken)")
        let reason = try #require(broken["reason"]?.stringValue)
        #expect(reason.contains("stray") && reason.contains("scale.c"), "\(reason)")

        let right = try await complete(answering: "    for (size_t i = 0; i < v->n; i++) {\n        v->items[i] *= k;\n    }")
        #expect(right["applied"] == true)
        #expect(right["code"]?.stringValue?.contains("v->items[i] *= k;") == true)

        // A member misspelt where the compiler knows the right one: its own correction goes in,
        // and the editor is told.
        let misspelt = try await complete(answering: "    for (size_t i = 0; i < v->n; i++) {\n        v->itmes[i] *= k;\n    }")
        #expect(misspelt["applied"] == true)
        #expect(misspelt["code"]?.stringValue?.contains("v->items[i] *= k;") == true, "\(misspelt)")
        let notes = misspelt["stats"]?["notes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(notes.contains { $0.contains("the compiler's own corrections made it compile: `itmes` → `items`") }, "\(notes)")
    }

    /// A result of `completeScale` where the model guessed at `struct vec`'s members: the code
    /// parses, so it went in, with the compiler's complaint as a note.
    static func expectGuessed(_ result: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result["applied"] == true, "\(result)", sourceLocation: sourceLocation)
        #expect(result["code"]?.stringValue?.contains("v->data[i] *= k;") == true, "\(result)", sourceLocation: sourceLocation)
        let notes = result["stats"]?["notes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(notes.contains { $0.hasPrefix("no candidate's code compiles here") && $0.contains("length") },
                "\(notes)", sourceLocation: sourceLocation)
    }

    /// `scale.c`, whose empty body the stand-in fills with code that uses `struct vec`'s members
    /// (`v->items`, `v->n`) when the request contains `shown`, and otherwise with code that guesses
    /// at them (`v->data`, `v->length`), which does not compile.
    static let scale = "#include \"vec.h\"\n\nvoid scale(struct vec *v, double k) {\n\n}\n"

    static func completeScale(
        at path: String, knowing shown: String, options: [String: JSONValue] = ["samples": 2],
        alsoOpen: [(uri: String, language: String, text: String)] = []
    ) async throws -> JSONValue {
        let informed = StandInRule(
            contains: shown, in: .any, answer: "    for (unsigned long i = 0; i < v->n; i++) {\n        v->items[i] *= k;\n    }")
        return try await complete(
            scale, uri: "file://\(path)", language: "c", line: 3,
            answer: "    for (unsigned long i = 0; i < v->length; i++) {\n        v->data[i] *= k;\n    }", mentioning: "scale",
            options: options, rules: [informed], alsoOpen: alsoOpen)
    }

    /// A C file whose function takes a struct its header defines (the header found through
    /// the project's compile_commands.json): with `headerDeclarations` the struct's definition
    /// is shown to the model with the file, so the model that knows its members writes code that
    /// compiles; by default it is not shown.
    @Test(.enabled(if: ToolProcess.find("cc") != nil)) func theTypesAFunctionNamesAreShownFromItsHeaders() async throws {
        let root = try Self.project("cheaders", [
            "include/vec.h": "#include <stddef.h>\n\n// A vector.\nstruct vec {\n    double *items;\n    size_t n;\n};\n",
            "src/scale.c": Self.scale,
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        try """
            [{"directory": "\(root)", "file": "src/scale.c", "command": "cc -Iinclude -c src/scale.c"}]
            """.write(toFile: root + "/compile_commands.json", atomically: true, encoding: .utf8)
        let header = "struct vec {\n    double *items;\n    size_t n;\n};"
        let result = try await Self.completeScale(
            at: root + "/src/scale.c", knowing: header,
            options: ["samples": 2, "experimental": ["complete": ["headerDeclarations": true]]])
        #expect(result["applied"] == true, "\(result)")
        #expect(result["code"]?.stringValue?.contains("v->items[i] *= k;") == true, "\(result)")
        let unseen = try await Self.completeScale(at: root + "/src/scale.c", knowing: header)
        Self.expectGuessed(unseen)
    }

    /// A C file beside another that writes the same kind of function: with `similarCode` the
    /// sibling's most similar lines are shown to the model with the file (as a named file of the
    /// infill request), so the model that copies the project's way writes code that compiles; by
    /// default they are not shown.
    @Test(.enabled(if: ToolProcess.find("cc") != nil)) func codeLikeTheCursorsFromTheFilesBesideItIsShown() async throws {
        let root = try Self.project("csimilar", [
            "vec.h": "struct vec { double *items; unsigned long n; };\n",
            "shift.c": "#include \"vec.h\"\n\nvoid shift(struct vec *v, double k) {\n    for (unsigned long i = 0; i < v->n; i++) {\n        v->items[i] += k;\n    }\n}\n",
            "notes.txt": "not C, another extension\n",
            "scale.c": Self.scale,
        ])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let shown = try await Self.completeScale(at: root + "/scale.c", knowing: "v->items[i] += k;", options: Self.similar)
        #expect(shown["applied"] == true, "\(shown)")
        #expect(shown["code"]?.stringValue?.contains("v->items[i] *= k;") == true, "\(shown)")
        let unseen = try await Self.completeScale(at: root + "/scale.c", knowing: "v->items[i] += k;")
        Self.expectGuessed(unseen)
    }

    /// complete with `similarCode` on.
    static let similar: [String: JSONValue] = ["samples": 2, "experimental": ["complete": ["similarCode": true]]]

    /// With `similarCode`, the editor's other open documents count first, as the editor holds them: a C buffer
    /// open elsewhere, never saved, shows the model how the project writes such a function; an
    /// open Python buffer (another language) does not.
    @Test(.enabled(if: ToolProcess.find("cc") != nil)) func codeLikeTheCursorsFromTheEditorsOpenDocumentsIsShown() async throws {
        let root = try Self.project("copen", ["vec.h": "struct vec { double *items; unsigned long n; };\n", "scale.c": Self.scale])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let sibling = "void shift(struct vec *v, double k) {\n    for (unsigned long i = 0; i < v->n; i++) {\n        v->items[i] += k;\n    }\n}\n"
        func complete(opening language: String) async throws -> JSONValue {
            try await Self.completeScale(
                at: root + "/scale.c", knowing: "v->items[i] += k;", options: Self.similar,
                alsoOpen: [(uri: "file://\(root)/lib/shift.c", language: language, text: sibling)])
        }
        let shown = try await complete(opening: "c")
        #expect(shown["applied"] == true, "\(shown)")
        #expect(shown["code"]?.stringValue?.contains("v->items[i] *= k;") == true, "\(shown)")
        let otherLanguage = try await complete(opening: "python")
        Self.expectGuessed(otherLanguage)
    }

    /// A C++ answer that uses `std::vector` where the file includes only `<string>`: the
    /// compiler's suggested `#include <vector>` comes with the code, as the result's imports and
    /// an edit before it, and the file as edited compiles.
    @Test(.enabled(if: ToolProcess.find("c++") != nil)) func aStandardHeaderTheCodeNeedsIsIncluded() async throws {
        let text = "#include <string>\n\nint letters(const std::string &s) {\n\n}\n"
        let root = try Self.project("cppinclude", [:])
        defer { try? FileManager.default.removeItem(atPath: root) }
        let result = try await Self.complete(
            text, uri: "file://\(root)/letters.cpp", language: "cpp", line: 3,
            answer: "    std::vector<char> v(s.begin(), s.end());\n    return (int)v.size();", mentioning: "letters")
        #expect(result["applied"] == true, "\(result)")
        #expect(result["imports"]?["statements"] == ["#include <vector>"], "\(result)")
        let edit = try #require(result["imports"]?["edit"])
        #expect(edit["newText"] == "#include <vector>\n")
        #expect(edit["range"]?["start"] == ["line": 1, "character": 0])
        let code = try #require(result["code"]?.stringValue)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[3] = code + lines[3]
        lines.insert("#include <vector>", at: 1)
        try lines.joined(separator: "\n").write(toFile: root + "/letters.cpp", atomically: true, encoding: .utf8)
        let outcome = await ToolProcess(
            executable: try #require(ToolProcess.find("c++")), arguments: ["-fsyntax-only", root + "/letters.cpp"],
            workingDirectory: root
        ).run()
        #expect(outcome.status == 0, "\(outcome.stderr)")
    }

    /// No candidate parses: node's message goes back to the model with the code, its corrected
    /// code parses and goes in, and the editor's result counts the correction.
    @Test(.enabled(if: ToolProcess.find("node") != nil)) func codeThatDoesNotParseIsCorrectedFromNodesMessage() async throws {
        let text = "function scale(values, k) {\n\n}\n\nmodule.exports = { scale };\n"
        let correction = StandInRule(
            contains: "With it the file does not compile", in: .user,
            answer: "```javascript\n  return values.map((v) => v * k);\n```")
        let result = try await Self.complete(
            text, uri: "file:///tmp/scale-correct.js", language: "javascript", line: 1,
            answer: "  return values.map((v) => v *);", mentioning: "scale", rules: [correction])
        #expect(result["applied"] == true, "\(result)")
        #expect(result["code"]?.stringValue?.contains("return values.map((v) => v * k);") == true, "\(result)")
        #expect(result["stats"]?["corrections"] == 1)
        let notes = result["stats"]?["notes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(notes.contains { $0.contains("SyntaxError") && $0.hasSuffix("the model corrected it from that message") }, "\(notes)")
    }

    /// An answer longer than complete's token cap: the stand-in cuts it mid-line, as a model's
    /// would be; what goes in ends at its last complete statement, the file parses, and the
    /// editor is told the code was cut.
    @Test func anAnswerCutAtTheCapEndsAtItsLastCompleteStatement() async throws {
        let steps = (1...60).map { "  total += step(values, \($0));" }.joined(separator: "\n")
        let answer = "  let total = 0;\n\(steps)\n  for (const v of values) {\n    total += v;\n  }\n  return total;"
        let text = "function sum(values, step) {\n\n}\n\nmodule.exports = { sum };\n"
        var shown: JSONValue?
        let result = try await Self.complete(
            text, uri: "file:///tmp/sum.js", language: "javascript", line: 1, answer: answer, mentioning: "sum",
            options: ["complete": ["samples": 1, "mode": "single"]]
        ) { server in shown = try await server.client.waitForNotification("window/showMessage") }
        #expect(result["applied"] == true)
        let code = try #require(result["code"]?.stringValue)
        #expect(code.hasSuffix(");"), "\(code)")
        #expect(!code.contains("for (const v"), "\(code)")
        let notes = result["stats"]?["notes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        #expect(notes.contains { $0.contains("last complete statement") }, "\(notes)")
        #expect(shown?["message"]?.stringValue?.contains("last complete statement") == true, "\(String(describing: shown))")
        if let node = ToolProcess.find("node") {
            var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines[1] = code + lines[1]
            let outcome = await ToolProcess(executable: node, arguments: ["--check"], input: lines.joined(separator: "\n"),
                                            workingDirectory: FileManager.default.temporaryDirectory.path, timeout: .seconds(60)).run()
            #expect(outcome.succeeded, "\(outcome.stderr)")
        }
    }
}
