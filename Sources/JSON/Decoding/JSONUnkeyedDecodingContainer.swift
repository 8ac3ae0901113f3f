/// Reads the elements of a JSON array in order.
struct JSONUnkeyedDecodingContainer: UnkeyedDecodingContainer {
    let decoder: JSONValueDecoding
    let elements: [JSONValue]
    let codingPath: [any CodingKey]
    private(set) var currentIndex = 0

    init(decoder: JSONValueDecoding, elements: [JSONValue], codingPath: [any CodingKey]) {
        self.decoder = decoder
        self.elements = elements
        self.codingPath = codingPath
    }

    var count: Int? { elements.count }
    var isAtEnd: Bool { currentIndex >= elements.count }

    private var currentPath: [any CodingKey] { codingPath + [JSONCodingKey(index: currentIndex)] }

    /// The current element; decoding it successfully moves past it.
    private func current(_ type: Any.Type) throws -> JSONValue {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(
                type,
                DecodingError.Context(
                    codingPath: currentPath,
                    debugDescription: "expected a value, but the array has only \(elements.count) elements"
                )
            )
        }
        return elements[currentIndex]
    }

    private mutating func next<T>(_ type: T.Type, _ read: (JSONValue, [any CodingKey]) throws -> T) throws -> T {
        let result = try read(current(type), currentPath)
        currentIndex += 1
        return result
    }

    mutating func decodeNil() throws -> Bool {
        guard try current(Any?.self).isNull else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next(type) { try JSONPrimitiveUnboxing.bool($0, at: $1) } }
    mutating func decode(_ type: String.Type) throws -> String { try next(type) { try JSONPrimitiveUnboxing.string($0, at: $1) } }
    mutating func decode(_ type: Double.Type) throws -> Double { try next(type) { try JSONPrimitiveUnboxing.double($0, at: $1) } }
    mutating func decode(_ type: Float.Type) throws -> Float { try next(type) { try JSONPrimitiveUnboxing.float($0, at: $1) } }
    mutating func decode(_ type: Int.Type) throws -> Int { try next(type) { try JSONPrimitiveUnboxing.integer($0, as: type, at: $1) } }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next(type) { try JSONPrimitiveUnboxing.integer($0, as: type, at: $1) } }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next(type) { try JSONPrimitiveUnboxing.integer($0, as: type, at: $1) } }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next(type) { try JSONPrimitiveUnboxing.integer($0, as: type, at: $1) } }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next(type) { try JSONPrimitiveUnboxing.integer($0, as: type, at: $1) } }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next(type) { try JSONPrimitiveUnboxing.integer($0, as: type, at: $1) } }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next(type) { try JSONPrimitiveUnboxing.integer($0, as: type, at: $1) } }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next(type) { try JSONPrimitiveUnboxing.integer($0, as: type, at: $1) } }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next(type) { try JSONPrimitiveUnboxing.integer($0, as: type, at: $1) } }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next(type) { try JSONPrimitiveUnboxing.integer($0, as: type, at: $1) } }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try next(type) { [decoder] in try decoder.unbox($0, as: type, at: $1) }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next(KeyedDecodingContainer<NestedKey>.self) { [decoder] in
            try decoder.child($0, at: $1).container(keyedBy: type)
        }
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
        try next((any UnkeyedDecodingContainer).self) { [decoder] in try decoder.child($0, at: $1).unkeyedContainer() }
    }

    mutating func superDecoder() throws -> any Decoder {
        try next((any Decoder).self) { [decoder] in decoder.child($0, at: $1) }
    }
}
