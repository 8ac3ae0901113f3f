import JSON

/// One request the stand-in received, for tests to assert on.
public struct StandInRequest: Sendable, Hashable {
    /// 1-based position among all requests.
    public var number: Int
    public var method: String
    /// The path without the query.
    public var path: String
    /// Header fields with lower-cased names (the last value wins).
    public var headers: [String: String]
    /// The body parsed as JSON, when it is JSON.
    public var body: JSONValue?
    public var rawBody: [UInt8]
    /// The client closed the connection before the answer was complete.
    public var abandoned: Bool = false
    /// The answer was sent completely.
    public var completed: Bool = false

    /// The `Authorization` header.
    public var authorization: String? { headers["authorization"] }
    /// `true` for a streaming chat request.
    public var isStreaming: Bool { body?["stream"]?.boolValue == true }
}
