import ModelBackend
import SelfMoA
import Testing
import Tools
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
        #expect(found.statements == ["import math", "import re"])
        #expect(found.text == "import math\nimport re\n")
        #expect(found.offset == "from typing import List\n".utf8.count)
    }

    @Test func bareStandardFunctionsAndTypesComeFromTheirModules() async throws {
        let source = "import math\n\ndef f(xs):\n    ‸\n"
        let code = "def g(ys: List[int]) -> int:\n        return reduce(lambda a, b: a * b, ys)\n    return g(xs) + factorial(len(xs)) + math.floor(mean(xs))"
        let found = try #require(await imports(code, at: source))
        #expect(found.statements == [
            "from typing import List", "from math import factorial", "from statistics import mean", "from functools import reduce",
        ])
        #expect(found.offset == "import math\n".utf8.count)
        // A bare name the file defines, or one not on the list, is left alone.
        #expect(await imports("return mean(xs)", at: "def mean(v):\n    return v\n\ndef f(xs):\n    ‸\n") == nil)
        #expect(await imports("return frobnicate(xs)", at: "def f(xs):\n    ‸\n") == nil)
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
        #expect(bare.statements == ["import os"])
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
        let found = MissingImports.parse("1\nimport math\nfrom functools import reduce\n", codeStartLine: 3, document: document)
        #expect(found == ImportInsertion(offset: 10, statements: ["import math", "from functools import reduce"]))
        // A line below the code, no statements, or something that is not an import: nothing.
        #expect(MissingImports.parse("4\nimport math\n", codeStartLine: 3, document: document) == nil)
        #expect(MissingImports.parse("1\n", codeStartLine: 3, document: document) == nil)
        #expect(MissingImports.parse("1\nimport os; rm\nmath\nfrom a import b c\n", codeStartLine: 3, document: document) == nil)
    }
}
