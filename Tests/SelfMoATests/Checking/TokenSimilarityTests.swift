import ModelBackend
import Testing
@testable import SelfMoA

/// The LCS share of two token sequences, and the tokens of plain text.
@Suite struct TokenSimilarityTests {
    @Test func sharesOfTheLongestCommonSubsequence() {
        #expect(TokenSimilarity.similarity(["a", "b", "c"], ["a", "b", "c"]) == 1)
        #expect(TokenSimilarity.similarity(["a", "b"], ["c", "d"]) == 0)
        // LCS "a c" (2) of 3 + 3 tokens.
        #expect(abs(TokenSimilarity.similarity(["a", "b", "c"], ["a", "x", "c"]) - 4.0 / 6.0) < 1e-9)
        #expect(TokenSimilarity.similarity([], []) == 1)
        #expect(TokenSimilarity.similarity(["a"], []) == 0)
    }

    @Test func tokensOfText() {
        #expect(TokenSimilarity.tokens(of: "return a_1+b  # x") == ["return", "a_1", "+", "b", "#", "x"])
    }

    @Test func longInputsAreComparedUpToTheLimit() {
        let long = Array(repeating: "t", count: TokenSimilarity.tokenLimit + 500)
        #expect(TokenSimilarity.similarity(long, long) == 1)
    }
}
