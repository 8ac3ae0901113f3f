/// Turns `Encodable` values into `JSONValue`, and from there into bytes through json-c.
///
/// The conventions are those of LSP: an optional property that is `nil` is left out (synthesised
/// `encode(to:)` calls `encodeIfPresent`), an explicit `encodeNil` writes `null`, a `JSONValue`
/// property is embedded as it is, and a `URL` is written as its absolute string. Integers must
/// fit in `Int64`, and doubles must be finite; otherwise `EncodingError.invalidValue` names the
/// coding path.
///
/// ```swift
/// let value = try JSONValueEncoder().encode(request)      // JSONValue
/// let bytes = try JSONValueEncoder().encodeToBytes(request) // compact UTF-8, sorted keys
/// ```
public struct JSONValueEncoder: Sendable {
    /// Handed to `Encodable` implementations as `encoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    public init() {}

    /// Encodes `value` as a JSON value.
    public func encode<T: Encodable>(_ value: T) throws -> JSONValue {
        let encoder = JSONValueEncoding(
            node: EncodingNode(),
            codingPath: [],
            options: EncodingOptions(userInfo: userInfo)
        )
        if let direct = try encoder.directValue(value, at: []) {
            return direct
        }
        try value.encode(to: encoder)
        if encoder.node.kind == .empty {
            throw EncodingError.invalidValue(
                value,
                EncodingError.Context(codingPath: [], debugDescription: "\(T.self) did not encode any value")
            )
        }
        return encoder.node.materialize()
    }

    /// Encodes `value` and serialises it compactly (see `JSONValue.serializedBytes()`).
    public func encodeToBytes<T: Encodable>(_ value: T) throws -> [UInt8] {
        try encode(value).serializedBytes()
    }
}

/// What every encoder of one `encode` call shares.
final class EncodingOptions {
    let userInfo: [CodingUserInfoKey: Any]

    init(userInfo: [CodingUserInfoKey: any Sendable]) {
        self.userInfo = userInfo.mapValues { $0 as Any }
    }
}
