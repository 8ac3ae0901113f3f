import Testing
import JSON

private struct Ints: Decodable {
    var i: Int
    var i8: Int8
    var u8: UInt8
    var i16: Int16
    var u16: UInt16
    var i32: Int32
    var u32: UInt32
    var i64: Int64
    var u64: UInt64
    var u: UInt
}

private struct Floats: Decodable, Equatable {
    var d: Double
    var f: Float
}

private struct Flag: Decodable {
    var on: Bool
}

private struct Pair: Decodable {
    var first: String
    var second: String

    init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        first = try container.decode(String.self)
        second = try container.decode(String.self)
    }
}

private struct Envelope: Decodable {
    var id: Int?
    var method: String
    var params: JSONValue?
}

private struct Headers: Decodable {
    var headers: [String: Int]
}

/// Decodes `T` from `json` and returns the error's one-line description.
private func failure<T: Decodable>(_ type: T.Type, _ json: String) -> String? {
    do {
        _ = try JSONValueDecoder().decode(type, fromJSON: Array(json.utf8))
        return nil
    } catch let error as DecodingError {
        return error.humanDescription
    } catch {
        return "\(error)"
    }
}

@Suite struct JSONValueDecoderTests {
    @Test func decodesAnLSPStructureThatWasEncoded() throws {
        let value = try JSONValueEncoder().encode(CodeActionParams.sample)
        #expect(try JSONValueDecoder().decode(CodeActionParams.self, from: value) == CodeActionParams.sample)
        let bytes = value.serializedBytes()
        #expect(try JSONValueDecoder().decode(CodeActionParams.self, fromJSON: bytes) == CodeActionParams.sample)
    }

    @Test func missingKeysAndNullBothDecodeAsNil() throws {
        let missing = try JSONValueDecoder().decode(Envelope.self, fromJSON: Array(#"{"method":"m"}"#.utf8))
        #expect(missing.id == nil)
        #expect(missing.params == nil)
        let nulls = try JSONValueDecoder().decode(Envelope.self, fromJSON: Array(#"{"method":"m","id":null,"params":null}"#.utf8))
        #expect(nulls.id == nil)
        #expect(nulls.params == nil)
    }

    @Test func jsonValueFieldsReceiveTheRawValue() throws {
        let json = #"{"id":1,"method":"m","params":{"a":[1,2.5,"x",{"b":null}]}}"#
        let envelope = try JSONValueDecoder().decode(Envelope.self, fromJSON: Array(json.utf8))
        #expect(envelope.params == ["a": [1, 2.5, "x", ["b": nil]]])
        #expect(try JSONValueDecoder().decode(JSONValue.self, from: [1, "a"]) == [1, "a"])
    }

    @Test func integersComeFromIntegralNumbers() throws {
        let json = #"{"i":-1,"i8":-128,"u8":255.0,"i16":3,"u16":65535,"i32":-2147483648,"u32":4294967295,"i64":-9223372036854775808,"u64":9223372036854775807,"u":1e3}"#
        let ints = try JSONValueDecoder().decode(Ints.self, fromJSON: Array(json.utf8))
        #expect(ints.i == -1 && ints.i8 == -128 && ints.u8 == 255 && ints.i16 == 3 && ints.u16 == 65535)
        #expect(ints.i32 == Int32.min && ints.u32 == UInt32.max && ints.i64 == Int64.min && ints.u64 == UInt64(Int64.max))
        #expect(ints.u == 1000)
    }

    @Test func integersOutOfRangeOrFractionalAreDataCorrupted() throws {
        #expect(failure([UInt8].self, "[1, 256]") == "[1]: number 256 does not fit in UInt8")
        #expect(failure([Int8].self, "[-129]") == "[0]: number -129 does not fit in Int8")
        #expect(failure([UInt].self, "[-1]") == "[0]: number -1 does not fit in UInt")
        #expect(failure([Int].self, "[1.5]") == "[0]: number 1.5 is not an integer")
        #expect(failure([Int64].self, "[1e19]") == "[0]: number 1e+19 does not fit in Int64")
        #expect(failure([UInt64].self, "[18446744073709551615]") == "[0]: number 1.8446744073709552e+19 does not fit in UInt64")
        do {
            _ = try JSONValueDecoder().decode(Int32.self, from: 3_000_000_000)
            Issue.record("decoded an out-of-range Int32")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.codingPath.isEmpty)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func floatingPointAcceptsAnyNumber() throws {
        #expect(try JSONValueDecoder().decode(Floats.self, from: ["d": 3, "f": 2]) == Floats(d: 3, f: 2))
        #expect(try JSONValueDecoder().decode(Floats.self, from: ["d": 0.1, "f": 0.5]) == Floats(d: 0.1, f: 0.5))
        #expect(failure(Floats.self, #"{"d":1,"f":1e39}"#) == "f: number 1e+39 does not fit in Float")
        #expect(failure(Floats.self, #"{"d":"1","f":1}"#) == "d: expected number, found string")
    }

    @Test func boolsComeOnlyFromBooleans() throws {
        #expect(try JSONValueDecoder().decode(Flag.self, from: ["on": true]).on)
        #expect(failure(Flag.self, #"{"on":1}"#) == "on: expected boolean, found number")
        #expect(failure(Flag.self, #"{"on":"true"}"#) == "on: expected boolean, found string")
    }

    @Test func typeMismatchesNameThePath() {
        let json = #"{"textDocument":{"uri":42},"range":{}}"#
        #expect(failure(CodeActionParams.self, json) == "textDocument.uri: expected string, found number")
        do {
            _ = try JSONValueDecoder().decode(CodeActionParams.self, fromJSON: Array(json.utf8))
        } catch DecodingError.typeMismatch(let type, let context) {
            #expect(type is String.Type)
            #expect(context.codingPath.map(\.stringValue) == ["textDocument", "uri"])
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func pathsThroughArraysAndDictionaries() {
        let diagnostics = #"[{"range":{"start":{"line":0,"character":0},"end":{"line":0,"character":1}},"message":"ok"},"#
            + #"{"range":{"start":{"line":0,"character":0},"end":{"line":"1","character":1}},"message":"x"}]"#
        #expect(failure([Diagnostic].self, diagnostics) == "[1].range.end.line: expected integer, found string")
        #expect(failure(Headers.self, #"{"headers":{"Content-Length":"x"}}"#) == #"headers["Content-Length"]: expected integer, found string"#)
        #expect(failure([[Position]].self, #"[[],[{"line":1,"character":2},{"line":1}]]"#) == #"[1][1]: missing key "character""#)
    }

    @Test func missingKeysAndNullsForRequiredValues() {
        #expect(failure(Position.self, #"{"line":1}"#) == #"missing key "character""#)
        #expect(failure(Range.self, #"{"start":{"line":1,"character":2}}"#) == #"missing key "end""#)
        #expect(failure(Range.self, #"{"start":{"line":1,"character":2},"end":null}"#) == "end: expected object, found null")
        #expect(failure(TextDocumentIdentifier.self, #"{"uri":null}"#) == "uri: expected string, found null")
        #expect(failure(Position.self, "[1,2]") == "expected object, found array")
        #expect(failure([Int].self, #"{"a":1}"#) == "expected array, found object")
    }

    @Test func enumsWithRawValuesAndPayloads() throws {
        #expect(try JSONValueDecoder().decode([Severity].self, from: [1, 4]) == [.error, .hint])
        #expect(try JSONValueDecoder().decode(ActionKind.self, from: "quickfix") == .quickFix)
        #expect(failure([Severity].self, "[1,9]")?.hasPrefix("[1]: ") == true)
        #expect(failure(Edit.self, #"{"delete":{"_0":{"start":{"line":0,"character":0}}}}"#) == #"delete._0: missing key "end""#)
    }

    @Test func unkeyedContainersReportTheirEnd() throws {
        let pair = try JSONValueDecoder().decode(Pair.self, from: ["a", "b"])
        #expect(pair.first == "a" && pair.second == "b")
        #expect(failure(Pair.self, #"["a"]"#) == "[1]: expected a value, but the array has only 1 elements")
        #expect(failure(Pair.self, #"["a", 2]"#) == "[1]: expected string, found number")
    }

    @Test func parseErrorsPassThrough() {
        #expect(throws: JSONParseError(reason: "unexpected end of input", offset: 5)) {
            try JSONValueDecoder().decode(Position.self, fromJSON: Array(#"{"a":"#.utf8))
        }
    }
}
