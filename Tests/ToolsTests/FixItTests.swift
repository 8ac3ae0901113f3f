import Testing
@testable import Tools

@Suite struct FixItTests {
    @Test func parsesTheCompilersFixItLines() {
        let diagnostics = """
            <stdin>:3:12: error: ‘token_embd’ undeclared (first use in this function); did you mean ‘tok_embd’?
            fix-it:"<stdin>":{3:12-3:22}:"tok_embd"
            <stdin>:5:9: error: expected ‘;’ before ‘}’ token
            fix-it:"<stdin>":{5:9-5:9}:";"
            fix-it:"<stdin>":{6:1-6:2}:"say \\"hi\\" \\\\ now"
            fix-it:"/usr/include/stdio.h":{1:1-1:2}:"x"
            fix-it:"<stdin>":{7:1-8:2}:"spans lines"
            fix-it:"<stdin>":{9:1-9:2}:"\\303\\251"
            fix-it:"<stdin>":{2:1-2:1}:"#include <vector>\\n"
            """
        #expect(FixIt.parse(diagnostics) == [
            FixIt(line: 3, columns: 12..<22, replacement: "tok_embd"),
            FixIt(line: 5, columns: 9..<9, replacement: ";"),
            FixIt(line: 6, columns: 1..<2, replacement: "say \"hi\" \\ now"),
            FixIt(line: 2, columns: 1..<1, replacement: "#include <vector>\n"),
        ])
    }

    @Test(.enabled(if: ToolProcess.find("cc") != nil)) func theCCompilerSuggestsTheDeclaredName() async {
        let source = "int twice(int count) {\n    return cuont * 2;\n}\n"
        let (verdict, fixIts) = await ToolchainSyntaxChecker().corrections(source, language: "c", file: nil)
        guard case .unresolved(_, let lines) = verdict, lines == [2] else {
            Issue.record("an undeclared name was not found unresolved on its line: \(verdict)")
            return
        }
        #expect(fixIts == [FixIt(line: 2, columns: 12..<17, replacement: "count")])
        let (fine, none) = await ToolchainSyntaxChecker().corrections("int one(void) { return 1; }\n", language: "c", file: nil)
        #expect(fine == .valid && none.isEmpty)
    }
}
