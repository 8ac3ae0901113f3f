import JSON

/// A JSON-RPC error object: the code the specification names and a message a user can read.
public struct ResponseError: Error, Sendable, Hashable, CustomStringConvertible {
    public var code: Int
    public var message: String
    public var data: JSONValue?

    public init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    public var description: String { "\(message) (\(code))" }

    /// The error as it goes on the wire.
    public var jsonValue: JSONValue {
        var members: [String: JSONValue] = ["code": .int(Int64(code)), "message": .string(message)]
        if let data { members["data"] = data }
        return .object(members)
    }

    /// -32700: the bytes are not JSON.
    public static func parseError(_ message: String) -> ResponseError { ResponseError(code: -32700, message: message) }
    /// -32600: JSON, but not a valid request object.
    public static func invalidRequest(_ message: String) -> ResponseError { ResponseError(code: -32600, message: message) }
    /// -32601: no such method.
    public static func methodNotFound(_ method: String) -> ResponseError {
        ResponseError(code: -32601, message: "method not found: \(method)")
    }
    /// -32602: the params do not fit the method.
    public static func invalidParams(_ message: String) -> ResponseError { ResponseError(code: -32602, message: message) }
    /// -32603: the server failed.
    public static func internalError(_ message: String) -> ResponseError { ResponseError(code: -32603, message: message) }
    /// -32002: a request other than `initialize` before `initialize`.
    public static let serverNotInitialized = ResponseError(
        code: -32002, message: "the server is not initialized yet: send initialize first")
    /// -32800: the client cancelled the request.
    public static let requestCancelled = ResponseError(code: -32800, message: "request cancelled")
    /// -32801: the document changed while the request ran, so its result no longer applies.
    public static func contentModified(_ message: String) -> ResponseError { ResponseError(code: -32801, message: message) }
    /// -32803: the request was valid but could not be carried out (e.g. the model backend failed).
    public static func requestFailed(_ message: String) -> ResponseError { ResponseError(code: -32803, message: message) }

    public static let parseErrorCode = -32700
    public static let invalidRequestCode = -32600
    public static let methodNotFoundCode = -32601
    public static let invalidParamsCode = -32602
    public static let internalErrorCode = -32603
    public static let serverNotInitializedCode = -32002
    public static let requestCancelledCode = -32800
    public static let contentModifiedCode = -32801
    public static let requestFailedCode = -32803
}
