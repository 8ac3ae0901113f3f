import Testing
import JSON

private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

@Suite struct HumanDescriptionTests {
    @Test func eachDecodingErrorKindNamesThePath() {
        let path: [any CodingKey] = [Key(stringValue: "params"), Key(stringValue: "textDocument")]
        let context = DecodingError.Context(codingPath: path, debugDescription: "expected string, found number")
        #expect(DecodingError.typeMismatch(String.self, context).humanDescription
            == "params.textDocument: expected string, found number")
        #expect(DecodingError.valueNotFound(String.self, context).humanDescription
            == "params.textDocument: expected string, found number")
        #expect(DecodingError.dataCorrupted(context).humanDescription
            == "params.textDocument: expected string, found number")
        #expect(DecodingError.keyNotFound(Key(stringValue: "uri"), DecodingError.Context(codingPath: path, debugDescription: ""))
            .humanDescription == #"params.textDocument: missing key "uri""#)
    }

    @Test func topLevelErrorsHaveNoPathPrefix() {
        let context = DecodingError.Context(codingPath: [], debugDescription: "expected object, found array")
        #expect(DecodingError.typeMismatch([String: Int].self, context).humanDescription == "expected object, found array")
    }

    @Test func encodingErrorsNameThePath() {
        let error = EncodingError.invalidValue(
            Double.nan,
            EncodingError.Context(codingPath: [Key(stringValue: "a")], debugDescription: "nan cannot be written in JSON")
        )
        #expect(error.humanDescription == "a: nan cannot be written in JSON")
    }
}
