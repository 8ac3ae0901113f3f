import Testing
@testable import JSON

/// The parse error for `bytes`, or `nil` when they parse.
private func parseError(_ bytes: [UInt8]) -> JSONParseError? {
    do {
        _ = try JSONValue.parse(bytes)
        return nil
    } catch {
        return error
    }
}

private func parseError(_ text: String) -> JSONParseError? {
    parseError(Array(text.utf8))
}

@Suite struct ParsingTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONValue.parse(#" { "a" : [1, -2.5, true, false, null, "x"], "b": {} , "c": [] } "#)
        #expect(value == ["a": [1, -2.5, true, false, nil, "x"], "b": .object([:]), "c": .array([])])
    }

    @Test(arguments: [
        ("123", JSONValue.int(123)), ("-7", .int(-7)), ("0", .int(0)), ("-0", .int(0)), ("1.5", .double(1.5)),
        ("true", .bool(true)), ("false", .bool(false)), ("null", .null), (#""s""#, .string("s")),
        (" 42 \n", .int(42)), ("1e2", .double(100)), ("1E+2", .double(100)), ("2e-1", .double(0.2)),
    ])
    func parsesTopLevelScalars(text: String, expected: JSONValue) throws {
        #expect(try JSONValue.parse(text) == expected)
    }

    @Test func parsesBytesFromAnyCollection() throws {
        let bytes: ArraySlice<UInt8> = Array(#"xx[1,"a"]yy"#.utf8)[2..<9]
        #expect(try JSONValue.parse(bytes) == [1, "a"])
        // A collection without contiguous storage.
        #expect(try JSONValue.parse(#"{"k":true}"#.utf8.lazy.map { $0 }) == ["k": true])
    }

    @Test func integersAreExactUpToInt64Limits() throws {
        #expect(try JSONValue.parse("9007199254740992") == .int(9_007_199_254_740_992))
        #expect(try JSONValue.parse("9007199254740993") == .int(9_007_199_254_740_993))
        #expect(try JSONValue.parse("9223372036854775807") == .int(Int64.max))
        #expect(try JSONValue.parse("-9223372036854775808") == .int(Int64.min))
        #expect(try JSONValue.parse("[-9223372036854775808,9223372036854775807]") == [.int(Int64.min), .int(Int64.max)])
    }

    @Test func integersBeyondInt64BecomeDoublesInsteadOfClamping() throws {
        #expect(try JSONValue.parse("9223372036854775808") == .double(9_223_372_036_854_775_808))
        #expect(try JSONValue.parse("-9223372036854775809") == .double(-9.223372036854775808e18))
        #expect(try JSONValue.parse("18446744073709551616") == .double(18_446_744_073_709_551_616))
        #expect(try JSONValue.parse("[1, 99999999999999999999999, 2]") == [1, .double(1e23), 2])
        #expect(try JSONValue.parse(#"{"a":-99999999999999999999999,"b":[3]}"#) == ["a": .double(-1e23), "b": [3]])
    }

    @Test func doublesReadBackExactly() throws {
        for text in ["0.1", "1.7976931348623157e308", "5e-324", "2.2250738585072014e-308", "-0.0", "123456.789e-3"] {
            let value = try JSONValue.parse(text)
            #expect(value == .double(Double(text)!), "\(text)")
        }
        #expect(try JSONValue.parse("1e-400") == .double(0))
    }

    @Test func astralCharactersRawAndEscaped() throws {
        let raw = try JSONValue.parse(#""a😀b""#)
        let escaped = try JSONValue.parse(#""a\ud83d\ude00b""#)
        #expect(raw == .string("a😀b"))
        #expect(escaped == raw)
        #expect(escaped.serialized() == #""a😀b""#)
    }

    @Test func loneSurrogateEscapesBecomeReplacementCharacters() throws {
        #expect(try JSONValue.parse(#""\ud800""#) == .string("\u{FFFD}"))
        #expect(try JSONValue.parse(#""\ude00x""#) == .string("\u{FFFD}x"))
    }

    @Test func escapedNULInsideStringsIsKept() throws {
        let value = try JSONValue.parse(#"["a\u0000b", {"k": "\u0000"}]"#)
        #expect(value == ["a\u{0}b", ["k": "\u{0}"]])
        #expect(value.serialized() == #"["a\u0000b",{"k":"\u0000"}]"#)
    }

    @Test func escapesAreDecoded() throws {
        #expect(try JSONValue.parse(#""\"\\\/\b\f\n\r\t\u00e9""#) == .string("\"\\/\u{8}\u{c}\n\r\té"))
        #expect(try JSONValue.parse(#"{"a\"b": 1}"#) == ["a\"b": 1])
    }

    @Test func lastDuplicateKeyWins() throws {
        #expect(try JSONValue.parse(#"{"a":1,"a":2}"#) == ["a": 2])
    }

    @Test func nestingUpToTheLimitParses() throws {
        for depth in [200, Int(JSONValue.maximumDepth)] {
            var value = try JSONValue.parse(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
            var levels = 0
            while case .array(let elements) = value {
                levels += 1
                guard let first = elements.first else { break }
                value = first
            }
            #expect(levels == depth)
        }
        let objects = String(repeating: #"{"a":"#, count: 200) + "1" + String(repeating: "}", count: 200)
        #expect(try JSONValue.parse(objects).serialized() == objects)
    }

    @Test func nestingBeyondTheLimitIsAnError() throws {
        let depth = Int(JSONValue.maximumDepth) + 1
        let error = parseError(String(repeating: "[", count: depth) + String(repeating: "]", count: depth))
        #expect(error?.reason == "nesting too deep")
        #expect(error?.offset == Int(JSONValue.maximumDepth))
    }

    @Test func hostileNestingFailsQuickly() throws {
        let clock = ContinuousClock()
        let start = clock.now
        let arrays = parseError(String(repeating: "[", count: 100_000))
        let objects = parseError(String(repeating: #"{"a":"#, count: 100_000))
        let closed = parseError(String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000))
        #expect(arrays?.reason == "nesting too deep")
        #expect(objects?.reason == "nesting too deep")
        #expect(closed?.reason == "nesting too deep")
        #expect(clock.now - start < .seconds(5))
    }

    @Test(arguments: [
        ("", 0, "empty input"),
        ("   \n", 4, "empty input"),
        ("[1,2", 4, "unexpected end of input"),
        (#"{"a":"#, 5, "unexpected end of input"),
        (#"{"a""#, 4, "unexpected end of input"),
        (#""abc"#, 4, "unexpected end of input"),
        ("tru", 3, "unexpected end of input"),
        ("-", 1, "unexpected end of input"),
        ("1e", 2, "unexpected end of input"),
        ("1.", 2, "unexpected end of input"),
        ("-1.5e+", 6, "unexpected end of input"),
        ("[1.", 3, "unexpected end of input"),
        (#""\u12"#, 5, "unexpected end of input"),
    ])
    func truncatedInputReportsWhereItEnds(text: String, offset: Int, reason: String) {
        let error = parseError(text)
        #expect(error == JSONParseError(reason: reason, offset: offset))
    }

    @Test(arguments: [
        ("[1] x", 4), ("1 2", 2), ("{}{}", 2), (#""a" "b""#, 4), ("null,", 4), ("[1]]", 3),
    ])
    func trailingGarbageIsRejected(text: String, offset: Int) {
        #expect(parseError(text)?.offset == offset)
    }

    @Test(arguments: [
        // Not JSON at all, or JSON5/JavaScript extensions.
        ("NaN", 0), ("[NaN]", 1), ("Infinity", 0), ("[-Infinity]", 1), ("[nan]", 1), ("[inf]", 1),
        ("'a'", 0), ("[1,]", 3), (#"{"a":1,}"#, 7), ("{a:1}", 1), ("/*c*/1", 0), ("[1]//c", 3),
        ("TRUE", 0), ("nul", 3), ("[nulL]", 1), ("[truex]", 5), ("[0x10]", 2), ("[+1]", 1),
        // Numbers json-c would accept.
        ("[1.]", 1), ("[1.e5]", 1), ("[.5]", 1), ("[01]", 1), ("[-]", 1), ("[-01]", 1), ("[1e]", 1),
        ("[1e+]", 1), ("[--1]", 1),
        // Control characters must be escaped inside strings.
        ("\"a\tb\"", 2), ("\"a\nb\"", 2), ("\"\r\"", 1), ("[\"\u{1}\"]", 2), ("{\"k\u{1F}\":1}", 3),
        // Structure.
        ("[1 2]", 3), (#"{"a" 1}"#, 5), ("]", 0), ("{", 1), (":", 0), ("[,1]", 1),
    ])
    func nonJSONIsRejectedAtTheRightByte(text: String, offset: Int) {
        let error = parseError(text)
        #expect(error != nil, "accepted \(text)")
        #expect(error?.offset == offset, "\(text): \(String(describing: error))")
    }

    @Test func controlCharacterErrorNamesTheCharacter() {
        #expect(parseError("\"a\tb\"")?.reason == "unescaped control character U+0009 in a string")
    }

    @Test func numbersTooLargeForADoubleAreRejected() {
        #expect(parseError("[1e400]") == JSONParseError(reason: "number 1e400 is too large for a double", offset: 1))
        #expect(parseError("-1e309")?.offset == 0)
        #expect(parseError("1" + String(repeating: "0", count: 400))?.offset == 0)
        #expect(parseError("[0, 1" + String(repeating: "0", count: 310) + ".5]")?.offset == 4)
    }

    @Test(arguments: [
        ([0x22, 0xFF, 0x22], 1),  // never valid
        ([0x22, 0x80, 0x22], 1),  // lone continuation byte
        ([0x22, 0xC0, 0xAF, 0x22], 1),  // overlong "/"
        ([0x22, 0xE0, 0x80, 0xAF, 0x22], 1),  // overlong, three bytes
        ([0x22, 0xED, 0xA0, 0x80, 0x22], 1),  // UTF-16 surrogate D800
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], 1),  // above U+10FFFF
        ([0x22, 0xE2, 0x82, 0x22], 1),  // truncated sequence
        ([0x22, 0x61, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x22], 4),  // valid "aé", then a cut emoji
        ([0x7B, 0x22, 0xC3, 0x22, 0x3A, 0x31, 0x7D], 2),  // in a key
        ([0xEF, 0xBB, 0xBF, 0x31], 0),  // byte order mark
        ([0x5B, 0xC3, 0xA9, 0x5D], 1),  // non-ASCII outside a string
    ] as [([UInt8], Int)])
    func invalidUTF8IsRejected(bytes: [UInt8], offset: Int) {
        let error = parseError(bytes)
        #expect(error?.offset == offset, "\(bytes): \(String(describing: error))")
    }

    @Test func validMultiByteUTF8IsAccepted() throws {
        let text = "\"\u{7F}\u{80}\u{7FF}\u{800}\u{D7FF}\u{E000}\u{FFFF}\u{10000}\u{10FFFF}\""
        #expect(try JSONValue.parse(text) == .string(String(text.dropFirst().dropLast())))
    }

    @Test(arguments: [
        ([0x5B, 0x31, 0x2C, 0x00, 0x20, 0x32, 0x5D], 3),  // between values
        ([0x22, 0x61, 0x00, 0x62, 0x22], 2),  // inside a string
        ([0x5B, 0x31, 0x5D, 0x00], 3),  // after the value
        ([0x00], 0),
    ] as [([UInt8], Int)])
    func rawNULBytesAreRejected(bytes: [UInt8], offset: Int) {
        let error = parseError(bytes)
        #expect(error?.offset == offset)
        #expect(error?.reason.contains("NUL") == true || error?.reason.contains("U+0000") == true, "\(String(describing: error))")
    }

    @Test func keysContainingNULAreRejectedRatherThanTruncated() {
        #expect(parseError(#"{"a\u0000b":1,"a":2}"#)?.offset == 1)
        #expect(parseError(#"[{"x":1, "\u0000" : 2}]"#)?.offset == 9)
    }

    @Test func escapedBackslashBeforeU0000IsAnOrdinaryKey() throws {
        #expect(try JSONValue.parse(#"{"a\\u0000":1}"#) == ["a\\u0000": 1])
    }

    @Test func errorDescriptionNamesOffsetAndReason() {
        #expect(parseError("[1,")?.description == "invalid JSON at byte 3: unexpected end of input")
        #expect(parseError("[1] x")?.description == "invalid JSON at byte 4: unexpected character 'x'")
    }

    @Test func parseOfStringMatchesParseOfBytes() throws {
        let text = #"{"é":["😀",1.25,-3]}"#
        #expect(try JSONValue.parse(text) == JSONValue.parse(Array(text.utf8)))
    }
}

@Suite struct SerialisationTests {
    @Test func isCompactWithSortedKeys() {
        let value: JSONValue = ["b": [1, 2], "a": ["d": nil, "c": true], "é": "x", "Z": 1.5, "aa": "y"]
        #expect(value.serialized() == #"{"Z":1.5,"a":{"c":true,"d":null},"aa":"y","b":[1,2],"é":"x"}"#)
    }

    @Test func slashesAreNotEscaped() {
        #expect(JSONValue.string("file:///a/b").serialized() == #""file:///a/b""#)
        #expect(JSONValue.object(["file:///k": "/"]).serialized() == #"{"file:///k":"/"}"#)
    }

    @Test func controlCharactersQuotesAndBackslashesAreEscaped() {
        let value = JSONValue.string("\u{0}\u{1}\u{1F}\n\r\t\u{8}\u{C}\"\\")
        #expect(value.serialized() == #""\u0000\u0001\u001f\n\r\t\b\f\"\\""#)
    }

    @Test func nonASCIIIsWrittenAsUTF8() {
        #expect(JSONValue.string("é😀\u{2028}").serializedBytes() == Array("\"é😀\u{2028}\"".utf8))
    }

    @Test(arguments: [
        (0.1, "0.1"), (5.0, "5.0"), (-0.0, "-0.0"), (1e16, "1e+16"), (1e-7, "1e-07"), (123456789.123, "123456789.123"),
        (Double.greatestFiniteMagnitude, "1.7976931348623157e+308"), (Double.leastNonzeroMagnitude, "5e-324"),
        (1.0 / 3.0, "0.3333333333333333"),
    ])
    func doublesUseTheShortestExactText(value: Double, text: String) throws {
        #expect(JSONValue.double(value).serialized() == text)
        #expect(try JSONValue.parse(text) == .double(value))
    }

    @Test func nonFiniteDoublesBecomeNull() {
        let value: JSONValue = [.double(.nan), .double(.infinity), .double(-.infinity), ["k": .double(.nan)]]
        #expect(value.serialized() == #"[null,null,null,{"k":null}]"#)
        #expect(JSONValue.double(.nan).serialized() == "null")
    }

    @Test func integersAreExact() {
        #expect(JSONValue.array([.int(.max), .int(.min), .int(0)]).serialized() == "[9223372036854775807,-9223372036854775808,0]")
    }

    @Test func nulInKeysBecomesReplacementCharacter() {
        #expect(JSONValue.object(["a\u{0}b": 1]).serialized() == "{\"a\u{FFFD}b\":1}")
    }

    @Test func scalarsAndEmptyContainers() {
        #expect(JSONValue.null.serialized() == "null")
        #expect(JSONValue.bool(false).serialized() == "false")
        #expect(JSONValue.string("").serialized() == #""""#)
        #expect(JSONValue.array([]).serialized() == "[]")
        #expect(JSONValue.object([:]).serialized() == "{}")
        #expect(JSONValue.array([.null, .array([])]).serialized() == "[null,[]]")
    }
}

@Suite struct LargeInputTests {
    @Test func tenMegabyteStringRoundTripsInLinearTime() throws {
        let clock = ContinuousClock()
        let payload = String(repeating: "abcdefghé/\\\"\n", count: 800_000)  // about 10.4 MB once escaped
        let start = clock.now
        let bytes = JSONValue.array([.string(payload)]).serializedBytes()
        #expect(bytes.count > 10_000_000)
        let parsed = try JSONValue.parse(bytes)
        #expect(parsed == [.string(payload)])
        // Generous for a loaded machine and a debug build; a quadratic step would take hours.
        #expect(clock.now - start < .seconds(20))
    }

    @Test func manyElementsAndMembers() throws {
        let array = JSONValue.array((0..<200_000).map { .int(Int64($0)) })
        #expect(try JSONValue.parse(array.serializedBytes()) == array)
        let object = JSONValue.object(Dictionary(uniqueKeysWithValues: (0..<50_000).map { ("k\($0)", JSONValue.int(Int64($0))) }))
        let text = object.serialized()
        #expect(text.hasPrefix(#"{"k0":0,"k1":1,"k10":10,"k100":100,"#))
        #expect(try JSONValue.parse(text) == object)
    }
}
