import JSON

/// One JSON-RPC 2.0 message as read off the wire, already validated.
public enum Message: Sendable, Equatable {
    case request(id: RequestID, method: String, params: JSONValue?)
    case notification(method: String, params: JSONValue?)
    case response(id: RequestID?, result: Result<JSONValue, ResponseError>)

    /// Classifies one parsed JSON value. Anything that is not a valid message yields the error to
    /// answer with and the id to answer to (`nil` when it cannot be known: the reply gets `null`).
    public static func classify(_ value: JSONValue) -> Result<Message, InvalidMessage> {
        guard case .object(let members) = value else {
            return .failure(InvalidMessage(id: nil, error: .invalidRequest("a message must be a JSON object, got \(value.kindName)")))
        }
        // The id, if present and well formed, is what an error reply goes to.
        var id: RequestID?
        var hasID = false
        if let rawID = members["id"] {
            hasID = true
            if !rawID.isNull {
                guard let parsed = RequestID(rawID) else {
                    return .failure(InvalidMessage(id: nil, error: .invalidRequest("id must be an integer or a string, got \(rawID.kindName)")))
                }
                id = parsed
            }
        }
        guard members["jsonrpc"] == .string("2.0") else {
            return .failure(InvalidMessage(id: id, error: .invalidRequest("missing or wrong \"jsonrpc\": must be \"2.0\"")))
        }
        if let method = members["method"] {
            guard case .string(let name) = method else {
                return .failure(InvalidMessage(id: id, error: .invalidRequest("method must be a string")))
            }
            let params = members["params"]
            if let params, !params.isNull, params.objectValue == nil, params.arrayValue == nil {
                return .failure(InvalidMessage(id: id, error: .invalidRequest("params must be an object or an array")))
            }
            if hasID {
                guard let id else {
                    return .failure(InvalidMessage(id: nil, error: .invalidRequest("a request id must not be null")))
                }
                return .success(.request(id: id, method: name, params: params.flatMap { $0.isNull ? JSONValue?.none : $0 }))
            }
            return .success(.notification(method: name, params: params.flatMap { $0.isNull ? JSONValue?.none : $0 }))
        }
        if hasID {
            if let error = members["error"] {
                let code = error["code"]?.intValue.map(Int.init) ?? ResponseError.internalErrorCode
                let message = error["message"]?.stringValue ?? "unknown error"
                return .success(.response(id: id, result: .failure(ResponseError(code: code, message: message, data: error["data"]))))
            }
            if let result = members["result"] {
                return .success(.response(id: id, result: .success(result)))
            }
        }
        return .failure(InvalidMessage(id: id, error: .invalidRequest("neither a request, a notification nor a response")))
    }

    /// The wire form of this message.
    public var jsonValue: JSONValue {
        var members: [String: JSONValue] = ["jsonrpc": "2.0"]
        switch self {
        case .request(let id, let method, let params):
            members["id"] = id.jsonValue
            members["method"] = .string(method)
            if let params { members["params"] = params }
        case .notification(let method, let params):
            members["method"] = .string(method)
            if let params { members["params"] = params }
        case .response(let id, let result):
            members["id"] = id?.jsonValue ?? .null
            switch result {
            case .success(let value): members["result"] = value
            case .failure(let error): members["error"] = error.jsonValue
            }
        }
        return .object(members)
    }
}

/// A message that failed validation: what to answer, and to which id.
public struct InvalidMessage: Error, Sendable, Equatable {
    public var id: RequestID?
    public var error: ResponseError
}
