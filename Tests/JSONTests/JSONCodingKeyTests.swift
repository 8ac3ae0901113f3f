import Testing
@testable import JSON

private struct Key: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}

@Suite struct JSONCodingKeyTests {
    @Test func pathDescriptions() {
        #expect([any CodingKey]().jsonPathDescription == "")
        #expect([Key(stringValue: "params"), Key(stringValue: "uri")].jsonPathDescription == "params.uri")
        #expect(([JSONCodingKey(index: 0), Key(stringValue: "a")] as [any CodingKey]).jsonPathDescription == "[0].a")
        #expect(([Key(stringValue: "items"), JSONCodingKey(index: 3), JSONCodingKey(index: 1)] as [any CodingKey])
            .jsonPathDescription == "items[3][1]")
        #expect([Key(stringValue: "h"), Key(stringValue: "Content-Type")].jsonPathDescription == #"h["Content-Type"]"#)
        #expect([Key(stringValue: ""), Key(stringValue: "1a"), Key(stringValue: "_ok$1")].jsonPathDescription
            == #"[""]["1a"]._ok$1"#)
        // A user's integer key is a member name, not an array position.
        #expect([Key(intValue: 2)].jsonPathDescription == #"["2"]"#)
    }

    @Test func indexKeysLookLikeFoundationsOwn() {
        let key = JSONCodingKey(index: 4)
        #expect(key.stringValue == "Index 4")
        #expect(key.intValue == 4)
        #expect(JSONCodingKey.super.stringValue == "super")
    }
}
