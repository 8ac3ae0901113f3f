import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

@Suite struct CodeNormalizerTests {
    @Test func pythonCommentsAndWhitespaceGoStringsStay() {
        let a = CodeNormalizer.normalize("return  x + 1  # add one\n", language: "python")
        let b = CodeNormalizer.normalize("return x+1", language: "python")
        #expect(a == b)
        #expect(CodeNormalizer.normalize("s = '# not a comment'", language: "python") == "s='#notacomment'")
        #expect(CodeNormalizer.normalize("return x + 1", language: "python") != CodeNormalizer.normalize("return x - 1", language: "python"))
    }

    @Test func cFamilyComments() {
        let code = "let a = 1 // one\n/* block\n comment */ let b = \"// kept\""
        #expect(CodeNormalizer.normalize(code, language: "swift") == "leta=1letb=\"//kept\"")
        #expect(CodeNormalizer.normalize("x = `a // b`", language: "javascript") == "x=`a//b`")
    }

    @Test func otherLanguagesKeepComments() {
        #expect(CodeNormalizer.normalize("(foo) ; note", language: "emacs-lisp") == "(foo);note")
    }
}

/// The tokens candidates are compared by.
@Suite struct CodeTokensTests {
    @Test func tokensLeaveOutCommentsAndKeepWordsApart() {
        #expect(CodeNormalizer.tokens("return a+b  # the sum\n", language: "python") == ["return", "a", "+", "b"])
        #expect(CodeNormalizer.tokens("let s = \"a b\" // note", language: "swift") == ["let", "s", "=", "\"", "ab", "\""])
    }
}
