import Testing
@testable import LanguageServer

/// A document's place on disk, from its URI: what complete's C and C++ checks compile it as.
@Suite struct DocumentPathTests {
    @Test func fileURIsGiveTheirPath() {
        #expect(LanguageServer.path(of: "file:///src/a%20b.c") == "/src/a b.c")
        #expect(LanguageServer.path(of: "file://localhost/src/main.cpp") == "/src/main.cpp")
    }

    @Test func otherSchemesAreNotOnDisk() {
        #expect(LanguageServer.path(of: "untitled:Untitled-1") == nil)
        #expect(LanguageServer.path(of: "jdt://contents/x.java") == nil)
    }
}
