import Testing
import JSON

@Suite struct JSONValueTests {
    @Test func accessorsReturnThePayloadOfTheMatchingKind() {
        let value: JSONValue = ["s": "x", "i": 3, "d": 2.5, "b": true, "a": [1], "o": ["k": nil], "n": nil]
        #expect(value["s"]?.stringValue == "x")
        #expect(value["i"]?.intValue == 3)
        #expect(value["d"]?.doubleValue == 2.5)
        #expect(value["i"]?.doubleValue == 3)
        #expect(value["b"]?.boolValue == true)
        #expect(value["a"]?.arrayValue == [1])
        #expect(value["o"]?.objectValue == ["k": .null])
        #expect(value["n"]?.isNull == true)
        #expect(value["missing"] == nil)
        #expect(value["s"]?.intValue == nil)
        #expect(value["i"]?.stringValue == nil)
        #expect(JSONValue.string("x")["k"] == nil)
    }

    @Test func intValueAcceptsOnlyIntegralDoublesThatFit() {
        #expect(JSONValue.double(4.0).intValue == 4)
        #expect(JSONValue.double(4.5).intValue == nil)
        #expect(JSONValue.double(9.25e18).intValue == nil)
        #expect(JSONValue.double(-9.223372036854775808e18).intValue == Int64.min)
        #expect(JSONValue.double(.nan).intValue == nil)
        #expect(JSONValue.double(.infinity).intValue == nil)
    }

    @Test func kindNames() {
        let kinds: [JSONValue] = [nil, true, 1, 1.5, "s", [], [:]]
        #expect(kinds.map(\.kindName) == ["null", "boolean", "number", "number", "string", "array", "object"])
    }

    @Test func literalsBuildTheMatchingCases() {
        let value: JSONValue = ["a": [1, 2.5, "s", true, nil]]
        #expect(value == .object(["a": .array([.int(1), .double(2.5), .string("s"), .bool(true), .null])]))
        #expect(value.description == #"{"a":[1,2.5,"s",true,null]}"#)
    }
}
