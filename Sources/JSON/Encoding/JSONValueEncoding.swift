#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `Encoder` handed to `encode(to:)`: writes into one `EncodingNode`.
struct JSONValueEncoding: Encoder {
    let node: EncodingNode
    let codingPath: [any CodingKey]
    let options: EncodingOptions

    var userInfo: [CodingUserInfoKey: Any] { options.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        node.becomeObject()
        return KeyedEncodingContainer(JSONKeyedEncodingContainer<Key>(encoder: self, node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        node.becomeArray()
        return JSONUnkeyedEncodingContainer(encoder: self, node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        self
    }

    /// An encoder for a child value at `path`, sharing the options.
    func child(_ node: EncodingNode, at path: [any CodingKey]) -> JSONValueEncoding {
        JSONValueEncoding(node: node, codingPath: path, options: options)
    }

    /// The JSON value of `value` when it needs no `encode(to:)` call: a `JSONValue` is embedded as
    /// it is, primitives and `URL` are converted directly.
    func directValue<T: Encodable>(_ value: T, at path: @autoclosure () -> [any CodingKey]) throws -> JSONValue? {
        if T.self == JSONValue.self { return (value as! JSONValue) }
        if T.self == String.self { return .string(value as! String) }
        if T.self == Bool.self { return .bool(value as! Bool) }
        if T.self == Int.self { return .int(Int64(value as! Int)) }
        if T.self == Int64.self { return .int(value as! Int64) }
        if T.self == Int32.self { return .int(Int64(value as! Int32)) }
        if T.self == Double.self { return try JSONPrimitiveBoxing.double(value as! Double, at: path()) }
        if T.self == URL.self { return .string((value as! URL).absoluteString) }
        return nil
    }

    /// Encodes `value` as a member or element at `path`.
    func box<T: Encodable>(_ value: T, at path: [any CodingKey]) throws -> EncodedChild {
        if let direct = try directValue(value, at: path) {
            return .value(direct)
        }
        let node = EncodingNode()
        try value.encode(to: child(node, at: path))
        return node.kind == .value ? .value(node.materialize()) : .node(node)
    }
}

extension JSONValueEncoding: SingleValueEncodingContainer {
    func encodeNil() { node.set(.null) }
    func encode(_ value: Bool) { node.set(.bool(value)) }
    func encode(_ value: String) { node.set(.string(value)) }
    func encode(_ value: Double) throws { node.set(try JSONPrimitiveBoxing.double(value, at: codingPath)) }
    func encode(_ value: Float) throws { node.set(try JSONPrimitiveBoxing.float(value, at: codingPath)) }
    func encode(_ value: Int) throws { node.set(try JSONPrimitiveBoxing.integer(value, at: codingPath)) }
    func encode(_ value: Int8) throws { node.set(try JSONPrimitiveBoxing.integer(value, at: codingPath)) }
    func encode(_ value: Int16) throws { node.set(try JSONPrimitiveBoxing.integer(value, at: codingPath)) }
    func encode(_ value: Int32) throws { node.set(try JSONPrimitiveBoxing.integer(value, at: codingPath)) }
    func encode(_ value: Int64) throws { node.set(try JSONPrimitiveBoxing.integer(value, at: codingPath)) }
    func encode(_ value: UInt) throws { node.set(try JSONPrimitiveBoxing.integer(value, at: codingPath)) }
    func encode(_ value: UInt8) throws { node.set(try JSONPrimitiveBoxing.integer(value, at: codingPath)) }
    func encode(_ value: UInt16) throws { node.set(try JSONPrimitiveBoxing.integer(value, at: codingPath)) }
    func encode(_ value: UInt32) throws { node.set(try JSONPrimitiveBoxing.integer(value, at: codingPath)) }
    func encode(_ value: UInt64) throws { node.set(try JSONPrimitiveBoxing.integer(value, at: codingPath)) }

    func encode<T: Encodable>(_ value: T) throws {
        if let direct = try directValue(value, at: codingPath) {
            node.set(direct)
        } else {
            try value.encode(to: self)
        }
    }
}
