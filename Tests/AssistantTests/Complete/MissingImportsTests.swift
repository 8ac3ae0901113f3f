import Testing
@testable import Assistant

/// The imports completed Python code needs, decided by the real `python3`.
@Suite(.enabled(if: ToolProcess.find("python3") != nil)) struct MissingImportsTests {
    private let finder = MissingImports()

    /// The imports for `code` put in at the `‸` of `source`.
    private func imports(_ code: String, at source: String, language: String = "python") async -> ImportInsertion? {
        let (text, cursor) = marked(source)
        let input = ActionInput(fileName: "f.py", language: language, text: text, selection: cursor)
        return await finder.insertion(for: code, replacing: cursor, in: input)
    }

    @Test func standardModulesTheCodeUsesGoAfterTheLastImport() async throws {
        let source = "from typing import List\n\n\ndef norm(xs: List[float]) -> float:\n    \"\"\"The length.\"\"\"\n    ‸\n"
        let found = try #require(await imports("return math.sqrt(sum(x * x for x in xs)) + len(re.findall('a', str(xs)))", at: source))
        #expect(found.modules == ["math", "re"])
        #expect(found.text == "import math\nimport re\n")
        #expect(found.offset == "from typing import List\n".utf8.count)
    }

    @Test func nothingWhenTheNameIsImportedOrBoundInTheFile() async {
        #expect(await imports("return math.floor(x)", at: "import math\n\ndef f(x):\n    ‸\n") == nil)
        #expect(await imports("return m.floor(x)", at: "import math as m\n\ndef f(x):\n    ‸\n") == nil)
        // A parameter called `string` is not the module.
        #expect(await imports("return string.upper()", at: "def shout(string):\n    ‸\n") == nil)
        // Neither is a name assigned anywhere in the file.
        #expect(await imports("return copy.items", at: "copy = load()\n\ndef f():\n    ‸\n") == nil)
    }

    @Test func onlyStandardModulesAndOnlyWhatTheInsertedCodeUses() async {
        // `np` may well mean numpy, but that is a guess: left to the user.
        #expect(await imports("return np.array(xs)", at: "def f(xs):\n    ‸\n") == nil)
        // The file's own missing import is not the completion's business.
        #expect(await imports("return 1", at: "def f():\n    ‸\n\ndef g():\n    return os.getcwd()\n") == nil)
    }

    @Test func withoutImportsTheyGoAfterTheModuleDocstringOrTheInterpreterLine() async throws {
        let docstring = try #require(await imports("return os.getcwd()", at: "#!/usr/bin/env python3\n\"\"\"Tools.\"\"\"\n\ndef f():\n    ‸\n"))
        #expect(docstring.offset == "#!/usr/bin/env python3\n\"\"\"Tools.\"\"\"\n".utf8.count)
        let shebang = try #require(await imports("return os.getcwd()", at: "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\ndef f():\n    ‸\n"))
        #expect(shebang.offset == "#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n".utf8.count)
        let bare = try #require(await imports("return os.getcwd()", at: "def f():\n    ‸\n"))
        #expect(bare.offset == 0)
        #expect(bare.text == "import os\n")
    }

    @Test func nothingForOtherLanguagesBrokenFilesOrNoPython() async {
        #expect(await imports("return Math.sqrt(x)", at: "function f(x) {\n    ‸\n}\n", language: "javascript") == nil)
        #expect(await imports("return math.sqrt(x", at: "def f(x):\n    ‸\n") == nil)
        let (text, cursor) = marked("def f(x):\n    ‸\n")
        let nowhere = MissingImports(searchPath: "/nonexistent")
        let input = ActionInput(fileName: "f.py", language: "python", text: text, selection: cursor)
        #expect(await nowhere.insertion(for: "return math.sqrt(x)", replacing: cursor, in: input) == nil)
    }

    @Test func theScriptsAnswerIsCheckedBeforeUse() {
        let document = "import os\n\ndef f():\n    pass\n"
        #expect(MissingImports.parse("1\nmath\n", codeStartLine: 3, document: document)?.offset == 10)
        // A line below the code, no modules, or a name that is not one: nothing.
        #expect(MissingImports.parse("4\nmath\n", codeStartLine: 3, document: document) == nil)
        #expect(MissingImports.parse("1\n", codeStartLine: 3, document: document) == nil)
        #expect(MissingImports.parse("1\nos; rm\n", codeStartLine: 3, document: document) == nil)
    }
}
