/// Checks and converts the primitive types of `Codable` into JSON values.
enum JSONPrimitiveBoxing {
    static func integer<I: FixedWidthInteger>(
        _ value: I,
        at path: @autoclosure () -> [any CodingKey]
    ) throws -> JSONValue {
        guard let exact = Int64(exactly: value) else {
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(
                    codingPath: path(),
                    debugDescription: "\(I.self) value \(value) does not fit in a 64-bit signed integer"
                )
            )
        }
        return .int(exact)
    }

    static func double(_ value: Double, at path: @autoclosure () -> [any CodingKey]) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(codingPath: path(), debugDescription: "\(value) cannot be written in JSON")
            )
        }
        return .double(value)
    }

    /// A `Float` goes through its own shortest text, so `0.1 as Float` is written `0.1`, not
    /// `0.10000000149011612`.
    static func float(_ value: Float, at path: @autoclosure () -> [any CodingKey]) throws -> JSONValue {
        guard value.isFinite else {
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(codingPath: path(), debugDescription: "\(value) cannot be written in JSON")
            )
        }
        return .double(Double("\(value)") ?? Double(value))
    }
}
