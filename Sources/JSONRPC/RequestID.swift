import JSON

/// A JSON-RPC request id: a number or a string.
public enum RequestID: Sendable, Hashable, CustomStringConvertible {
    case number(Int64)
    case string(String)

    /// Reads an id; any other JSON kind (null, boolean, fraction, object, array) is not an id.
    public init?(_ value: JSONValue) {
        switch value {
        case .int(let n): self = .number(n)
        case .string(let s): self = .string(s)
        default: return nil
        }
    }

    public var jsonValue: JSONValue {
        switch self {
        case .number(let n): return .int(n)
        case .string(let s): return .string(s)
        }
    }

    public var description: String {
        switch self {
        case .number(let n): return String(n)
        case .string(let s): return "\"\(s)\""
        }
    }
}
