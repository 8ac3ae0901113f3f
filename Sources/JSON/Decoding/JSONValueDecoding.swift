#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `Decoder` handed to `init(from:)`: reads one `JSONValue`.
struct JSONValueDecoding: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    let options: DecodingOptions

    var userInfo: [CodingUserInfoKey: Any] { options.userInfo }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw JSONPrimitiveUnboxing.mismatch(
                KeyedDecodingContainer<Key>.self, expected: "object", found: value, at: codingPath)
        }
        return KeyedDecodingContainer(
            JSONKeyedDecodingContainer<Key>(decoder: self, members: members, codingPath: codingPath)
        )
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw JSONPrimitiveUnboxing.mismatch(
                (any UnkeyedDecodingContainer).self, expected: "array", found: value, at: codingPath)
        }
        return JSONUnkeyedDecodingContainer(decoder: self, elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueDecodingContainer {
        self
    }

    /// A decoder for a child value at `path`, sharing the options.
    func child(_ value: JSONValue, at path: [any CodingKey]) -> JSONValueDecoding {
        JSONValueDecoding(value: value, codingPath: path, options: options)
    }

    /// Decodes a `T` from `value` found at `path`. A `JSONValue` is handed over as it is;
    /// primitives and `URL` are read directly.
    func unbox<T: Decodable>(_ value: JSONValue, as type: T.Type, at path: @autoclosure () -> [any CodingKey]) throws -> T {
        if T.self == JSONValue.self { return value as! T }
        if T.self == String.self { return try JSONPrimitiveUnboxing.string(value, at: path()) as! T }
        if T.self == Bool.self { return try JSONPrimitiveUnboxing.bool(value, at: path()) as! T }
        if T.self == Int.self { return try JSONPrimitiveUnboxing.integer(value, as: Int.self, at: path()) as! T }
        if T.self == Double.self { return try JSONPrimitiveUnboxing.double(value, at: path()) as! T }
        if T.self == URL.self {
            let string = try JSONPrimitiveUnboxing.string(value, at: path())
            guard let url = URL(string: string) else {
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(codingPath: path(), debugDescription: "invalid URL \(JSONValue.string(string))")
                )
            }
            return url as! T
        }
        return try T(from: child(value, at: path()))
    }
}

extension JSONValueDecoding: SingleValueDecodingContainer {
    func decodeNil() -> Bool { value.isNull }
    func decode(_ type: Bool.Type) throws -> Bool { try JSONPrimitiveUnboxing.bool(value, at: codingPath) }
    func decode(_ type: String.Type) throws -> String { try JSONPrimitiveUnboxing.string(value, at: codingPath) }
    func decode(_ type: Double.Type) throws -> Double { try JSONPrimitiveUnboxing.double(value, at: codingPath) }
    func decode(_ type: Float.Type) throws -> Float { try JSONPrimitiveUnboxing.float(value, at: codingPath) }
    func decode(_ type: Int.Type) throws -> Int { try JSONPrimitiveUnboxing.integer(value, as: type, at: codingPath) }
    func decode(_ type: Int8.Type) throws -> Int8 { try JSONPrimitiveUnboxing.integer(value, as: type, at: codingPath) }
    func decode(_ type: Int16.Type) throws -> Int16 { try JSONPrimitiveUnboxing.integer(value, as: type, at: codingPath) }
    func decode(_ type: Int32.Type) throws -> Int32 { try JSONPrimitiveUnboxing.integer(value, as: type, at: codingPath) }
    func decode(_ type: Int64.Type) throws -> Int64 { try JSONPrimitiveUnboxing.integer(value, as: type, at: codingPath) }
    func decode(_ type: UInt.Type) throws -> UInt { try JSONPrimitiveUnboxing.integer(value, as: type, at: codingPath) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try JSONPrimitiveUnboxing.integer(value, as: type, at: codingPath) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try JSONPrimitiveUnboxing.integer(value, as: type, at: codingPath) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try JSONPrimitiveUnboxing.integer(value, as: type, at: codingPath) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try JSONPrimitiveUnboxing.integer(value, as: type, at: codingPath) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try unbox(value, as: type, at: codingPath) }
}
