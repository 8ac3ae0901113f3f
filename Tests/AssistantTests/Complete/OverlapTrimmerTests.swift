import ModelBackend
import SelfMoA
import Testing
@testable import Assistant

@Suite struct OverlapTrimmerTests {
    @Test func cutsARepeatOfTheFollowingLines() {
        let code = ["return pi * r * r", "", "print(area(2))"]
        let trimmed = OverlapTrimmer.trimSuffix(code, after: ["", "print(area(2))", "print(area(3))"], tail: "")
        #expect(trimmed == ["return pi * r * r"])
    }

    @Test func cutsARepeatedClosingBraceButKeepsOneThatClosesTheAnswersOwnBlock() {
        let after: ArraySlice<String> = ["}", "", "func next() {}"]
        #expect(OverlapTrimmer.trimSuffix(["    return x * 2", "}"], after: after, tail: "") == ["    return x * 2"])
        let ownBlock = ["    if x > 0 {", "        return x", "    }"]
        #expect(OverlapTrimmer.trimSuffix(ownBlock, after: ["    }", "}"], tail: "") == ownBlock)
    }

    @Test func keepsCodeThatOnlyResemblesTheSuffix() {
        let code = ["total += 1", "print(total)"]
        #expect(OverlapTrimmer.trimSuffix(code, after: ["print(count)"], tail: "") == code)
    }

    @Test func cutsTheTextAfterTheCursorOnItsLine() {
        #expect(OverlapTrimmer.trimSuffix(["a, b)"], after: [], tail: ")") == ["a, b"])
        // `f(x)` is balanced only with its parenthesis: it stays.
        #expect(OverlapTrimmer.trimSuffix(["f(x)"], after: [], tail: ")") == ["f(x)"])
    }

    @Test func cutsARestatedHeaderBeforeTheCursor() {
        let before: ArraySlice<String> = ["import math", "", "def area(r):"]
        let code = ["def area(r):", "    return math.pi * r * r"]
        #expect(OverlapTrimmer.trimPrefix(code, before: before, lead: "    ") == ["    return math.pi * r * r"])
    }

    @Test func doesNotCutARepeatOfPunctuationAlone() {
        #expect(OverlapTrimmer.trimPrefix(["}", "x()"], before: ["}"], lead: "") == ["}", "x()"])
    }

    @Test func cutsWhatRepeatsTheCursorsLine() {
        #expect(OverlapTrimmer.trimPrefix(["total = sum(prices)"], before: [], lead: "    total = ") == ["sum(prices)"])
        #expect(OverlapTrimmer.trimPrefix(["return x"], before: [], lead: "    ret") == ["urn x"])
        // The whole line restated, then the code below it: an empty first line remains.
        #expect(OverlapTrimmer.trimPrefix(["def f():", "    return 1"], before: [], lead: "def f():") == ["", "    return 1"])
    }
}
