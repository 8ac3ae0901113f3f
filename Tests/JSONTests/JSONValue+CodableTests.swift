import Foundation
import Testing
import JSON

/// `JSONValue` inside other coders: Foundation's JSON coder stands in for "any other coder" here,
/// to check the generic paths that `JSONValueEncoder` and `JSONValueDecoder` short-circuit.
@Suite struct JSONValueCodableTests {
    private struct Holder: Codable, Equatable {
        var value: JSONValue
    }

    @Test func encodesAndDecodesThroughAGenericCoder() throws {
        let value: JSONValue = ["a": [1, -2, 2.5, true, nil, "s", ["k": []]]]
        let data = try JSONEncoder().encode(Holder(value: value))
        #expect(try JSONDecoder().decode(Holder.self, from: data) == Holder(value: value))
    }

    @Test func isEmbeddedAsItIsByJSONValueEncoder() throws {
        let value: JSONValue = ["x": [.double(1.0), .int(1)]]
        let encoded = try JSONValueEncoder().encode(Holder(value: value))
        #expect(encoded == ["value": value])
        // A double that happens to be integral stays a double: no conversion happened.
        #expect(encoded["value"]?["x"]?.arrayValue?.first == .double(1.0))
        #expect(try JSONValueDecoder().decode(Holder.self, from: encoded) == Holder(value: value))
    }

    @Test func nullInsideANonOptionalJSONValueFieldIsKept() throws {
        let decoded = try JSONValueDecoder().decode(Holder.self, from: ["value": nil])
        #expect(decoded.value == .null)
        #expect(try JSONValueEncoder().encode(decoded) == ["value": nil])
    }
}
