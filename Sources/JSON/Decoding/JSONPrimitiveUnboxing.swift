/// Reads the primitive types of `Codable` out of JSON values, with the errors callers see.
enum JSONPrimitiveUnboxing {
    /// `valueNotFound` for `null`, `typeMismatch` otherwise: "expected string, found number".
    static func mismatch(
        _ type: Any.Type,
        expected: String,
        found value: JSONValue,
        at path: [any CodingKey]
    ) -> DecodingError {
        let context = DecodingError.Context(
            codingPath: path,
            debugDescription: "expected \(expected), found \(value.kindName)"
        )
        return value.isNull ? .valueNotFound(type, context) : .typeMismatch(type, context)
    }

    static func string(_ value: JSONValue, at path: @autoclosure () -> [any CodingKey]) throws -> String {
        guard case .string(let string) = value else {
            throw mismatch(String.self, expected: "string", found: value, at: path())
        }
        return string
    }

    static func bool(_ value: JSONValue, at path: @autoclosure () -> [any CodingKey]) throws -> Bool {
        guard case .bool(let bool) = value else {
            throw mismatch(Bool.self, expected: "boolean", found: value, at: path())
        }
        return bool
    }

    static func integer<I: FixedWidthInteger>(
        _ value: JSONValue,
        as type: I.Type,
        at path: @autoclosure () -> [any CodingKey]
    ) throws -> I {
        switch value {
        case .int(let int):
            if let exact = I(exactly: int) { return exact }
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: path(), debugDescription: "number \(int) does not fit in \(I.self)")
            )
        case .double(let double):
            if let exact = I(exactly: double) { return exact }
            let problem = double.rounded(.towardZero) == double ? "does not fit in \(I.self)" : "is not an integer"
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: path(), debugDescription: "number \(double) \(problem)")
            )
        default:
            throw mismatch(I.self, expected: "integer", found: value, at: path())
        }
    }

    static func double(_ value: JSONValue, at path: @autoclosure () -> [any CodingKey]) throws -> Double {
        switch value {
        case .int(let int): return Double(int)
        case .double(let double): return double
        default: throw mismatch(Double.self, expected: "number", found: value, at: path())
        }
    }

    static func float(_ value: JSONValue, at path: @autoclosure () -> [any CodingKey]) throws -> Float {
        switch value {
        case .int(let int):
            return Float(int)
        case .double(let double):
            let float = Float(double)
            if float.isInfinite && double.isFinite {
                throw DecodingError.dataCorrupted(
                    DecodingError.Context(codingPath: path(), debugDescription: "number \(double) does not fit in Float")
                )
            }
            return float
        default:
            throw mismatch(Float.self, expected: "number", found: value, at: path())
        }
    }
}
