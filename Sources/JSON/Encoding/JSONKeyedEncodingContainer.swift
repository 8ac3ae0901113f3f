/// Writes the members of a JSON object.
struct JSONKeyedEncodingContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let encoder: JSONValueEncoding
    let node: EncodingNode
    let codingPath: [any CodingKey]

    private func set(_ value: JSONValue, for key: some CodingKey) {
        node.members[key.stringValue] = .value(value)
    }

    mutating func encodeNil(forKey key: Key) { set(.null, for: key) }
    mutating func encode(_ value: Bool, forKey key: Key) { set(.bool(value), for: key) }
    mutating func encode(_ value: String, forKey key: Key) { set(.string(value), for: key) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        set(try JSONPrimitiveBoxing.double(value, at: codingPath + [key]), for: key)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        set(try JSONPrimitiveBoxing.float(value, at: codingPath + [key]), for: key)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws {
        set(try JSONPrimitiveBoxing.integer(value, at: codingPath + [key]), for: key)
    }
    mutating func encode(_ value: Int8, forKey key: Key) throws {
        set(try JSONPrimitiveBoxing.integer(value, at: codingPath + [key]), for: key)
    }
    mutating func encode(_ value: Int16, forKey key: Key) throws {
        set(try JSONPrimitiveBoxing.integer(value, at: codingPath + [key]), for: key)
    }
    mutating func encode(_ value: Int32, forKey key: Key) throws {
        set(try JSONPrimitiveBoxing.integer(value, at: codingPath + [key]), for: key)
    }
    mutating func encode(_ value: Int64, forKey key: Key) throws {
        set(try JSONPrimitiveBoxing.integer(value, at: codingPath + [key]), for: key)
    }
    mutating func encode(_ value: UInt, forKey key: Key) throws {
        set(try JSONPrimitiveBoxing.integer(value, at: codingPath + [key]), for: key)
    }
    mutating func encode(_ value: UInt8, forKey key: Key) throws {
        set(try JSONPrimitiveBoxing.integer(value, at: codingPath + [key]), for: key)
    }
    mutating func encode(_ value: UInt16, forKey key: Key) throws {
        set(try JSONPrimitiveBoxing.integer(value, at: codingPath + [key]), for: key)
    }
    mutating func encode(_ value: UInt32, forKey key: Key) throws {
        set(try JSONPrimitiveBoxing.integer(value, at: codingPath + [key]), for: key)
    }
    mutating func encode(_ value: UInt64, forKey key: Key) throws {
        set(try JSONPrimitiveBoxing.integer(value, at: codingPath + [key]), for: key)
    }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        node.members[key.stringValue] = try encoder.box(value, at: codingPath + [key])
    }

    /// The node stored under `key`, created if the key holds nothing or a finished value.
    private func childNode(for key: some CodingKey) -> EncodingNode {
        if case .node(let existing) = node.members[key.stringValue] { return existing }
        let child = EncodingNode()
        node.members[key.stringValue] = .node(child)
        return child
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type,
        forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let child = childNode(for: key)
        child.becomeObject()
        return KeyedEncodingContainer(
            JSONKeyedEncodingContainer<NestedKey>(encoder: encoder, node: child, codingPath: codingPath + [key])
        )
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = childNode(for: key)
        child.becomeArray()
        return JSONUnkeyedEncodingContainer(encoder: encoder, node: child, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder {
        encoder.child(childNode(for: JSONCodingKey.super), at: codingPath + [JSONCodingKey.super])
    }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        encoder.child(childNode(for: key), at: codingPath + [key])
    }
}
