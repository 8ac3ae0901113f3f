import ModelBackend
import Testing
@testable import SelfMoA

@Suite struct InfillCleanupTests {
    @Test func cutsWhereTheSuffixRepeats() {
        let suffix = "\n    }\n    print(x)"
        #expect(InfillCleanup.clean("x += 1\n    }\n    print(x)\n", suffix: suffix) == "x += 1")
    }

    @Test func keepsALineThatOnlyLooksLikeTheSuffixAtAnotherIndentation() {
        let suffix = "\n}\nfunc next() {}"
        let text = "if x {\n    y()\n    }\nreturn z"
        #expect(InfillCleanup.clean(text, suffix: suffix) == text)
    }

    @Test func requiresTheSecondAnchorLineWhenThereIsOne() {
        let suffix = "\n}\nprint(1)"
        #expect(InfillCleanup.clean("a()\n}\nb()", suffix: suffix) == "a()\n}\nb()")
        #expect(InfillCleanup.clean("a()\n}", suffix: suffix) == "a()")
    }

    @Test func cutsAtACodeFenceAndTrailingBlankLines() {
        #expect(InfillCleanup.clean("a()\n\n```\nmore", suffix: "") == "a()")
    }
}
