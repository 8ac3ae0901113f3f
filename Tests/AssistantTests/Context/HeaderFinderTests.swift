import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

@Suite struct HeaderFinderTests {
    private func header(_ text: String) -> Range<Int> { HeaderFinder.header(in: text.splitLines) }

    @Test func pythonImportsAfterADocstringIncludingAParenthesisedImport() {
        #expect(header(Samples.python) == 1..<7)
    }

    @Test func swiftImportsAfterALicenseComment() {
        #expect(header(Samples.swift) == 3..<5)
    }

    @Test func javaScriptImportSpreadOverLines() {
        #expect(header(Samples.javaScript) == 0..<5)
    }

    @Test func cIncludesAfterABlockComment() {
        #expect(header(Samples.c) == 3..<5)
    }

    @Test func luaRequireAndLispRequire() {
        #expect(header(Samples.lua) == 0..<1)
        #expect(header(Samples.lisp) == 0..<1)
    }

    @Test func noImportsNoHeader() {
        #expect(header("x = 1\nimport os\n") == 0..<0)
        #expect(header("") == 0..<0)
    }
}
