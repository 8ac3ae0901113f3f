import Testing
@testable import Tools

/// The real toolchains, where this machine has them.
@Suite struct ToolchainSyntaxCheckerTests {
    private let checker = ToolchainSyntaxChecker()

    @Test(.enabled(if: ToolProcess.find("python3") != nil)) func python() async {
        #expect(await checker.check("def f(x):\n    return x + 1\n", language: "python") == .valid)
        guard case .invalid(let message) = await checker.check("def f(x:\n    return x\n", language: "python") else {
            Issue.record("a broken Python file parsed")
            return
        }
        #expect(message.contains("SyntaxError"))
        // Parses, but does not compile: a function body that lost its indentation.
        guard case .invalid(let outside) = await checker.check("def f(x):\n    pass\nreturn x\n", language: "python") else {
            Issue.record("'return' outside a function passed")
            return
        }
        #expect(outside.contains("outside function"))
    }

    /// A header the file includes from its own tree cannot be found where the check runs: that
    /// is the check's limit (unavailable), not a broken candidate; real errors stay invalid.
    @Test(.enabled(if: ToolProcess.find("cc") != nil)) func cWithALocalHeaderIsUnavailableNotInvalid() async {
        guard case .unavailable(let reason) = await checker.check(
            "#include \"ggml-impl.h\"\nint f(void) { return 1; }\n", language: "c") else {
            Issue.record("a missing local header made the candidate invalid")
            return
        }
        #expect(reason.contains("ggml-impl.h"))
        #expect(await checker.check("#include <stdio.h>\nint f(void) { return 1; }\n", language: "c") == .valid)
        #expect(await checker.check("int f(void) { return 1 }\n", language: "c") != .valid)
    }

    /// The complaint is the line naming the error, not node's closing version line.
    @Test(.enabled(if: ToolProcess.find("node") != nil)) func nodeComplaintNamesTheError() async {
        guard case .invalid(let message) = await checker.check("function f() {\n  return 1;\n};\n}\n", language: "javascript") else {
            Issue.record("a stray brace parsed")
            return
        }
        #expect(message.contains("SyntaxError"), "\(message)")
    }

    @Test(.enabled(if: ToolProcess.find("swiftc") != nil)) func swift() async {
        #expect(await checker.check("func f() -> Int {\n    return 1\n}\n", language: "swift") == .valid)
        #expect(await checker.check("func f( -> Int {\n    return 1\n}\n", language: "swift") != .valid)
    }

    @Test(.enabled(if: ToolProcess.find("node") != nil)) func javaScript() async {
        #expect(await checker.check("function f() { return 1 }\n", language: "javascript") == .valid)
        #expect(await checker.check("export const f = () => 1\n", language: "javascript") == .valid)
        guard case .invalid = await checker.check("function f( { return 1 }\n", language: "javascript") else {
            Issue.record("a broken JavaScript file parsed")
            return
        }
    }

    @Test(.enabled(if: ToolProcess.find("cc") != nil)) func c() async {
        #expect(await checker.check("int f(void) { return 1; }\n", language: "c") == .valid)
        guard case .invalid = await checker.check("int f(void) { return 1 }\n", language: "c") else {
            Issue.record("a broken C file parsed")
            return
        }
    }

    /// The C and C++ compilers: a name they do not know is `unresolved` on its line; a syntax
    /// error beside it makes the code `invalid`, with the syntax error as the complaint.
    @Test(.enabled(if: ToolProcess.find("c++") != nil)) func cppNamesAndTypesAreUnresolved() async {
        let unknown = "struct M { int n; };\nint f(M *m) {\n    int x = hparams.n;\n    return m.n + x;\n}\n"
        guard case .unresolved(let message, let lines) = await checker.check(unknown, language: "cpp") else {
            Issue.record("undeclared names were not unresolved")
            return
        }
        #expect(message.contains("hparams") && lines == [3, 4], "\(message) \(lines)")
        // An undeclared type inside a template argument: the template's errors follow from the name.
        let vector = "#include <vector>\nint f(int k) {\n    std::vector<foo_t> v;\n    v.push_back(k);\n    return (int)v.size();\n}\n"
        guard case .unresolved(_, let vectorLines) = await checker.check(vector, language: "cpp") else {
            Issue.record("an undeclared template argument was not unresolved")
            return
        }
        #expect(Set(vectorLines) == [3, 4, 5])
        let broken = "int f(int k) {\n    int x = hparams;\n    return k\n}\n"
        guard case .invalid(let complaint) = await checker.check(broken, language: "cpp") else {
            Issue.record("a missing ';' was not invalid")
            return
        }
        #expect(complaint.contains("expected"), "\(complaint)")
    }

    @Test func theCompilersMessagesAreInEnglish() {
        let english = ToolchainSyntaxChecker.englishMessages(["LC_ALL": "de_DE.UTF-8", "LANGUAGE": "de", "PATH": "/bin"])
        #expect(english == ["LC_CTYPE": "de_DE.UTF-8", "LC_MESSAGES": "C", "PATH": "/bin"])
    }

    @Test func unknownLanguagesAndMissingToolsAreUnavailable() async {
        guard case .unavailable(let reason) = await checker.check("x", language: "cobol") else {
            Issue.record("cobol was checked")
            return
        }
        #expect(reason.contains("cobol"))
        let nowhere = ToolchainSyntaxChecker(searchPath: "/nonexistent")
        guard case .unavailable(let missing) = await nowhere.check("x = 1", language: "python") else {
            Issue.record("python3 found on an empty PATH")
            return
        }
        #expect(missing.contains("python3 not found"))
    }

    /// tsc checks a candidate alone, so its imports never resolve: types, names and modules do
    /// not make it invalid, its syntax does.
    @Test(.enabled(if: ToolProcess.find("tsc") != nil)) func typeScriptCountsSyntaxErrorsOnly() async {
        let withImports = "import { scale } from \"./scale\";\nexport function twice(n: number): number {\n  return scale(n, 2);\n}\n"
        #expect(await checker.check(withImports, language: "typescript") == .valid)
        guard case .invalid(let message) = await checker.check("export function f(n: number): number {\n  return n +;\n}\n", language: "typescript") else {
            Issue.record("a TypeScript syntax error passed")
            return
        }
        #expect(message.contains("TS1109"))
    }

    @Test func tscSyntaxErrorsAreTheParsersCodes() {
        #expect(ToolchainSyntaxChecker.hasSyntaxError(tsc: "a.ts(1,17): error TS1109: Expression expected."))
        #expect(!ToolchainSyntaxChecker.hasSyntaxError(tsc: "a.ts(1,19): error TS2307: Cannot find module './x'.\na.ts(3,1): error TS2304: Cannot find name 'y'."))
    }
}
