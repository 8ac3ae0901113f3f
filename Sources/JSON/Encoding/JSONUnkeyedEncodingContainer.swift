/// Appends the elements of a JSON array.
struct JSONUnkeyedEncodingContainer: UnkeyedEncodingContainer {
    let encoder: JSONValueEncoding
    let node: EncodingNode
    let codingPath: [any CodingKey]

    var count: Int { node.elements.count }

    private var nextPath: [any CodingKey] { codingPath + [JSONCodingKey(index: count)] }

    private func append(_ value: JSONValue) {
        node.elements.append(.value(value))
    }

    mutating func encodeNil() { append(.null) }
    mutating func encode(_ value: Bool) { append(.bool(value)) }
    mutating func encode(_ value: String) { append(.string(value)) }
    mutating func encode(_ value: Double) throws { append(try JSONPrimitiveBoxing.double(value, at: nextPath)) }
    mutating func encode(_ value: Float) throws { append(try JSONPrimitiveBoxing.float(value, at: nextPath)) }
    mutating func encode(_ value: Int) throws { append(try JSONPrimitiveBoxing.integer(value, at: nextPath)) }
    mutating func encode(_ value: Int8) throws { append(try JSONPrimitiveBoxing.integer(value, at: nextPath)) }
    mutating func encode(_ value: Int16) throws { append(try JSONPrimitiveBoxing.integer(value, at: nextPath)) }
    mutating func encode(_ value: Int32) throws { append(try JSONPrimitiveBoxing.integer(value, at: nextPath)) }
    mutating func encode(_ value: Int64) throws { append(try JSONPrimitiveBoxing.integer(value, at: nextPath)) }
    mutating func encode(_ value: UInt) throws { append(try JSONPrimitiveBoxing.integer(value, at: nextPath)) }
    mutating func encode(_ value: UInt8) throws { append(try JSONPrimitiveBoxing.integer(value, at: nextPath)) }
    mutating func encode(_ value: UInt16) throws { append(try JSONPrimitiveBoxing.integer(value, at: nextPath)) }
    mutating func encode(_ value: UInt32) throws { append(try JSONPrimitiveBoxing.integer(value, at: nextPath)) }
    mutating func encode(_ value: UInt64) throws { append(try JSONPrimitiveBoxing.integer(value, at: nextPath)) }

    mutating func encode<T: Encodable>(_ value: T) throws {
        node.elements.append(try encoder.box(value, at: nextPath))
    }

    private func appendNode() -> (EncodingNode, [any CodingKey]) {
        let path = nextPath
        let child = EncodingNode()
        node.elements.append(.node(child))
        return (child, path)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let (child, path) = appendNode()
        child.becomeObject()
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<NestedKey>(encoder: encoder, node: child, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let (child, path) = appendNode()
        child.becomeArray()
        return JSONUnkeyedEncodingContainer(encoder: encoder, node: child, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let (child, path) = appendNode()
        return encoder.child(child, at: path)
    }
}
