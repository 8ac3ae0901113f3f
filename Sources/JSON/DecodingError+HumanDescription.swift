extension DecodingError {
    /// One line saying where and what went wrong, for error replies and logs:
    /// `params.textDocument.uri: expected string, found number`,
    /// `params.position: missing key "line"`, `items[2]: number 1.5 is not an integer`.
    public var humanDescription: String {
        switch self {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return Self.describe(context.codingPath, context.debugDescription)
        case .keyNotFound(let key, let context):
            return Self.describe(context.codingPath, "missing key \(JSONValue.string(key.stringValue))")
        @unknown default:
            return String(describing: self)
        }
    }

    fileprivate static func describe(_ path: [any CodingKey], _ message: String) -> String {
        let location = path.jsonPathDescription
        return location.isEmpty ? message : location + ": " + message
    }
}

extension EncodingError {
    /// One line saying where and what went wrong: `ranges[0].start: inf cannot be written in JSON`.
    public var humanDescription: String {
        switch self {
        case .invalidValue(_, let context):
            return DecodingError.describe(context.codingPath, context.debugDescription)
        @unknown default:
            return String(describing: self)
        }
    }
}
