import Testing
@testable import JSON

private func scan(_ text: String) -> JSONStrictScanner.Result {
    Array(text.utf8).withUnsafeBufferPointer { JSONStrictScanner.scan($0) }
}

@Suite struct JSONStrictScannerTests {
    @Test func findsIntegersOutsideInt64() {
        let text = "[9223372036854775807,-9223372036854775808,9223372036854775808,-9223372036854775809,1e30,123456789012345678901]"
        let ranges = scan(text).wideIntegers
        let literals = ranges.map { String(decoding: Array(text.utf8)[$0], as: UTF8.self) }
        #expect(literals == ["9223372036854775808", "-9223372036854775809", "123456789012345678901"])
    }

    @Test func ignoresNumbersAndEscapesInsideStrings() {
        let result = scan(#"["NaN 1. 99999999999999999999 \" \\u0000", "\u0000"]"#)
        #expect(result.error == nil)
        #expect(result.wideIntegers.isEmpty)
    }

    @Test func reportsOnlyTheFirstError() {
        let result = scan("[NaN, 1.]")
        #expect(result.error == JSONParseError(reason: "unexpected character 'N'", offset: 1))
        #expect(!result.errorIsNUL)
    }

    @Test func utf8SequenceLengthsFollowRFC3629() {
        func length(_ bytes: [UInt8]) -> Int? {
            bytes.withUnsafeBufferPointer { JSONStrictScanner.validUTF8SequenceLength($0, at: 0) }
        }
        #expect(length([0xC2, 0x80]) == 2)
        #expect(length([0xDF, 0xBF]) == 2)
        #expect(length([0xE0, 0xA0, 0x80]) == 3)
        #expect(length([0xED, 0x9F, 0xBF]) == 3)
        #expect(length([0xEE, 0x80, 0x80]) == 3)
        #expect(length([0xF0, 0x90, 0x80, 0x80]) == 4)
        #expect(length([0xF4, 0x8F, 0xBF, 0xBF]) == 4)
        #expect(length([0xC1, 0xBF]) == nil)  // overlong
        #expect(length([0xE0, 0x9F, 0xBF]) == nil)  // overlong
        #expect(length([0xED, 0xA0, 0x80]) == nil)  // surrogate
        #expect(length([0xF0, 0x8F, 0xBF, 0xBF]) == nil)  // overlong
        #expect(length([0xF4, 0x90, 0x80, 0x80]) == nil)  // above U+10FFFF
        #expect(length([0xF5, 0x80, 0x80, 0x80]) == nil)
        #expect(length([0xC2, 0x20]) == nil)  // not a continuation
        #expect(length([0xE2, 0x82]) == nil)  // truncated
        #expect(length([0x80]) == nil)
    }
}
