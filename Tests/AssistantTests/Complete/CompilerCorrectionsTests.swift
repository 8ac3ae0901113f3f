import ModelBackend
import SelfMoA
import Testing
import Tools
@testable import Assistant

@Suite struct CompilerCorrectionsTests {
    @Test func aCorrectedNameIsCorrectedWhereverTheCodeUsesIt() {
        let code = "int total = cuont;\n    return cuont + cuont_max + x.cuont;"
        let applied = CompilerCorrections.apply([(range: 12..<17, replacement: "count")], to: code)
        #expect(applied.code == "int total = count;\n    return count + cuont_max + x.count;")
        #expect(applied.changes == ["`cuont` → `count`"])
    }

    @Test func otherEditsApplyWhereTheyAreLastFirst() {
        let edits: [(range: Range<Int>, replacement: String)] = [
            (range: 5..<5, replacement: ";"), (range: 11..<11, replacement: ";"), (range: 10..<11, replacement: "3"),
            (range: 4..<6, replacement: "overlapping"),
        ]
        let applied = CompilerCorrections.apply(edits, to: "a = 1\nb = 2")
        #expect(applied.code == "a = 1;\nb = 3;")
        #expect(applied.changes == ["`;` inserted", "`2` → `3`", "`;` inserted"])
    }

    @Test func onlyFixItsInsideTheCodeCount() {
        let program = "int f(int a) {\n    return b;\n}\n"
        let start = "int f(int a) {\n    ".utf8.count
        let inside = FixIt(line: 2, columns: 12..<13, replacement: "a")
        let local = CompilerCorrections.local(inside, in: program, start: start, length: "return b;".utf8.count)
        #expect(local?.range == 7..<8 && local?.replacement == "a")
        #expect(CompilerCorrections.local(FixIt(line: 1, columns: 5..<6, replacement: "g"), in: program, start: start, length: 9) == nil)
        #expect(CompilerCorrections.local(FixIt(line: 9, columns: 1..<2, replacement: "g"), in: program, start: start, length: 9) == nil)
    }

    /// Over the real C compiler: the only candidate misspells the parameter; the compiler's
    /// "did you mean" makes it compile, it goes in, and the report says what was corrected.
    @Test(.enabled(if: ToolProcess.find("cc") != nil)) func aMisspeltNameIsCorrectedAsTheCompilerSuggests() async throws {
        let (text, cursor) = marked("int twice(int count) {\n    ‸\n}\n")
        let model = ScriptedModel(proposals: ["return cuont * 2;"], infill: true)
        var settings = AssistantSettings()
        settings[action: .complete] = ActionSettings(samples: 2)
        let input = ActionInput(fileName: "twice.c", language: "c", text: text, selection: cursor)
        let result = try await Assistant(model: model, settings: settings).complete(input)
        #expect(result.code == "return count * 2;")
        #expect(result.refusal == nil)
        #expect(result.cost.notes.contains(
            "the code did not compile in the file; the compiler's own corrections made it compile: `cuont` → `count`"))

        // A name the compiler cannot place: the code parses, so it goes in as written, and the
        // user is told it does not compile and why.
        let unknown = ScriptedModel(proposals: ["return zzzzzz + count;"], infill: true)
        let unresolved = try await Assistant(model: unknown, settings: settings).complete(input)
        #expect(unresolved.code == "return zzzzzz + count;")
        #expect(unresolved.refusal == nil)
        #expect(unresolved.cost.notes.contains {
            $0.hasPrefix("no candidate's code compiles here (error: ‘zzzzzz’ undeclared") && $0.contains("it parses, so it was inserted")
        }, "\(unresolved.cost.notes)")

        // Code that does not parse stays a refusal, with the compiler's syntax error.
        let stray = ScriptedModel(proposals: ["return count @ 2;"], infill: true)
        let refused = try await Assistant(model: stray, settings: settings).complete(input)
        #expect(refused.code.isEmpty)
        #expect(refused.refusal?.hasPrefix("no candidate's code parses in twice.c") == true)
        #expect(refused.refusal?.contains("stray") == true, "\(refused.refusal ?? "")")
    }

    /// Among C candidates, code that compiles wins over code that only parses, however many of
    /// the candidates agree on the latter.
    @Test(.enabled(if: ToolProcess.find("cc") != nil)) func compilingCodeWinsOverCodeThatOnlyParses() async throws {
        let (text, cursor) = marked("int twice(int count) {\n    ‸\n}\n")
        let model = ScriptedModel(proposals: ["return cnt * 2;", "return count * 2;"], infill: true)
        var settings = AssistantSettings()
        settings[action: .complete] = ActionSettings(samples: 3)
        let input = ActionInput(fileName: "twice.c", language: "c", text: text, selection: cursor)
        let result = try await Assistant(model: model, settings: settings).complete(input)
        // The greedy answer and one sample use `cnt`; the other sample, `count`.
        #expect(result.run.proposals.map(\.text) == ["return cnt * 2;", "return cnt * 2;", "return count * 2;"])
        #expect(result.code == "return count * 2;", "\(result.run.selection) \(result.cost.notes)")
        #expect(result.cost.notes.allSatisfy { !$0.contains("does not compile") && !$0.contains("no candidate's code compiles") })
    }

    /// Over the real C++ compiler: the code uses `std::vector` the file never includes; the
    /// compiler's "did you forget to `#include <vector>`" goes in as the result's imports, where
    /// the compiler put it, and the code as written. Without `addImports`, nothing goes in.
    @Test(.enabled(if: ToolProcess.find("c++") != nil)) func aMissingStandardHeaderIsIncludedAsTheCompilerSuggests() async throws {
        let (text, cursor) = marked("#include <string>\n\nint letters(const std::string &s) {\n    ‸\n}\n")
        let code = "std::vector<char> v(s.begin(), s.end());\n    return (int)v.size();"
        let model = ScriptedModel(proposals: [code], infill: true)
        var settings = AssistantSettings()
        settings[action: .complete] = ActionSettings(samples: 2)
        let input = ActionInput(fileName: "letters.cpp", language: "cpp", text: text, selection: cursor)
        let result = try await Assistant(model: model, settings: settings).complete(input)
        #expect(result.refusal == nil, "\(result.refusal ?? "")")
        #expect(result.code == code)
        #expect(result.imports == ImportInsertion(offset: "#include <string>\n".utf8.count, statements: ["#include <vector>"]))
        #expect(result.cost.notes.contains(
            "the code did not compile in the file; the compiler's own corrections made it compile: `#include <vector>` added"))

        settings[action: .complete] = ActionSettings(samples: 2, addImports: false)
        let without = try await Assistant(model: ScriptedModel(proposals: [code], infill: true), settings: settings).complete(input)
        #expect(without.code.isEmpty)
        #expect(without.imports == nil)
    }

    /// Only an insertion of one `#include` line before the code counts as a header to include.
    @Test func anIncludeIsOneLineInsertedBeforeTheCode() {
        let program = "#include <string>\n\nint f() {\n    return 0;\n}\n"
        let before = FixIt(line: 2, columns: 1..<1, replacement: "#include <vector>\n")
        #expect(CompilerCorrections.include(before, in: program, before: 30)?.line == "#include <vector>")
        #expect(CompilerCorrections.include(before, in: program, before: 30)?.offset == 18)
        #expect(CompilerCorrections.include(before, in: program, before: 10) == nil)
        #expect(CompilerCorrections.include(FixIt(line: 2, columns: 1..<3, replacement: "#include <vector>\n"), in: program, before: 30) == nil)
        #expect(CompilerCorrections.include(FixIt(line: 2, columns: 1..<1, replacement: "int x;\n"), in: program, before: 30) == nil)
        #expect(CompilerCorrections.include(FixIt(line: 2, columns: 1..<1, replacement: "#include vector\n"), in: program, before: 30) == nil)
    }
}
