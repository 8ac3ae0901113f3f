import Testing
@testable import Assistant

/// Language identifiers: from a path's extension, and an editor's own names normalised.
@Suite struct LanguageIDTests {
    @Test func extensionsGiveLSPIdentifiers() {
        #expect(LanguageID.of(path: "src/a.py") == "python")
        #expect(LanguageID.of(path: "web/app.tsx") == "typescriptreact")
        #expect(LanguageID.of(path: "lib/x.hpp") == "cpp")
        #expect(LanguageID.of(path: "Makefile") == "")
    }

    /// Eglot sends its major mode's name: `js-mode` → `js`, `c++-mode` → `c++`, and in some
    /// versions `python-ts-mode` → `python-ts`. Each reaches the actions as the LSP's name, so
    /// JavaScript in Emacs gets JavaScript's cut rules and checks.
    @Test func editorNamesAreNormalised() {
        #expect(LanguageID.normalized("js") == "javascript")
        #expect(LanguageID.normalized("js-ts") == "javascript")
        #expect(LanguageID.normalized("typescript-ts") == "typescript")
        #expect(LanguageID.normalized("tsx-ts") == "typescriptreact")
        #expect(LanguageID.normalized("c++") == "cpp")
        #expect(LanguageID.normalized("c-ts") == "c")
        #expect(LanguageID.normalized("python-ts") == "python")
        #expect(LanguageID.normalized("Python") == "python")
        #expect(LanguageID.normalized("javascript") == "javascript")
        #expect(LanguageID.normalized("rust") == "rust")
        #expect(ActionInput(fileName: "a.js", language: "js", text: "", selection: nil).language == "javascript")
    }
}
