/// Builds `Decodable` values from a `JSONValue`, or from bytes parsed by json-c.
///
/// The conventions are those of LSP: for an optional property a missing key and `null` both
/// decode as `nil`; a `JSONValue` property receives the raw value; integers are read from
/// integral numbers (`3` or `3.0`) and must fit the type; `Double` and `Float` accept any number;
/// `Bool` accepts only `true`/`false`; a `URL` is read from a string. Failures are the standard
/// `DecodingError`s with the coding path of the offending value; `humanDescription` turns one into
/// a line such as `params.textDocument.uri: expected string, found number`.
///
/// ```swift
/// let params = try JSONValueDecoder().decode(HoverParams.self, from: message["params"] ?? .null)
/// let reply = try JSONValueDecoder().decode(Reply.self, fromJSON: bytes)
/// ```
public struct JSONValueDecoder: Sendable {
    /// Handed to `Decodable` implementations as `decoder.userInfo`.
    public var userInfo: [CodingUserInfoKey: any Sendable] = [:]

    public init() {}

    /// Decodes a `T` from `value`.
    public func decode<T: Decodable>(_ type: T.Type, from value: JSONValue) throws -> T {
        let decoder = JSONValueDecoding(value: value, codingPath: [], options: DecodingOptions(userInfo: userInfo))
        return try decoder.unbox(value, as: T.self, at: [])
    }

    /// Parses `bytes` (throwing `JSONParseError`) and decodes a `T` from the result (throwing
    /// `DecodingError`).
    public func decode<T: Decodable>(_ type: T.Type, fromJSON bytes: some Collection<UInt8>) throws -> T {
        try decode(type, from: try JSONValue.parse(bytes))
    }
}

/// What every decoder of one `decode` call shares.
final class DecodingOptions {
    let userInfo: [CodingUserInfoKey: Any]

    init(userInfo: [CodingUserInfoKey: any Sendable]) {
        self.userInfo = userInfo.mapValues { $0 as Any }
    }
}
