import AsyncHTTPClient
import JSON
import Logging
import NIOCore
import NIOHTTP1

/// JSON over HTTP to one server: builds requests (with the bearer key), bounds them in time, and
/// turns every failure into a `ModelBackendError` whose message a user can act on.
///
/// The key is held here and nowhere else; every message built from the server's words passes
/// through `redact` so an echoed key never leaves this type.
struct HTTPTransport: Sendable {
    /// Scheme, host, port and path prefix, without a trailing `/` or `/v1`.
    let root: String
    /// The URL as users know it, for messages.
    let displayURL: String
    let apiKey: String?
    let apiKeyEnv: String?
    let timeouts: BackendConfiguration.Timeouts
    let logger: Logger
    let client: HTTPClient

    init(url: String, apiKey: String?, apiKeyEnv: String?, timeouts: BackendConfiguration.Timeouts, logger: Logger) {
        var root = url.trimmingSuffix("/")
        if root.hasSuffix("/v1") { root = String(root.dropLast(3)) }
        self.root = root
        self.displayURL = url
        self.apiKey = (apiKey?.isEmpty ?? true) ? nil : apiKey
        self.apiKeyEnv = apiKeyEnv
        self.timeouts = timeouts
        self.logger = logger
        self.client = SharedHTTPClients.client(connectTimeout: timeouts.connect)
    }

    /// A whole reply: status and body.
    struct Reply: Sendable {
        var status: Int
        var body: [UInt8]

        var isSuccess: Bool { (200..<300).contains(status) }
        var json: JSONValue? { try? JSONValue.parse(body) }
    }

    func makeRequest(_ method: HTTPMethod, _ path: String, body: JSONValue?, streaming: Bool = false) -> HTTPClientRequest {
        var request = HTTPClientRequest(url: root + path)
        request.method = method
        request.headers.add(name: "Accept", value: streaming ? "text/event-stream" : "application/json")
        if let apiKey { request.headers.add(name: "Authorization", value: "Bearer \(apiKey)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body.serializedBytes()))
        }
        return request
    }

    /// Sends a request and collects the reply within `limit`, whatever its status. Throws only
    /// when no reply arrived.
    func send(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil, limit: Duration) async throws(ModelBackendError) -> Reply {
        let request = makeRequest(method, path, body: body)
        let started = ContinuousClock.now
        do {
            let reply = try await withTimeLimit(
                limit,
                timeout: { [displayURL] in .timeout("no answer to \(path)", after: limit, url: displayURL) }
            ) { [self] in
                let response = try await execute(request, limit: limit)
                do {
                    let buffer = try await response.body.collect(upTo: 64 << 20)
                    return Reply(status: Int(response.status.code), body: Array(buffer.readableBytesView))
                } catch {
                    throw TransportFailure(phase: .receiving, underlying: error)
                }
            }
            logger.debug(
                "backend call",
                metadata: [
                    "method": "\(method.rawValue)", "path": "\(path)", "status": "\(reply.status)",
                    "seconds": "\((ContinuousClock.now - started).seconds)",
                ]
            )
            return reply
        } catch {
            throw mapFailure(error)
        }
    }

    /// Executes `request` and returns the response head, retrying once when a pooled
    /// connection turns out to have been closed by the server before the request went out
    /// (llama.cpp closes idle keep-alive connections after 5 s).
    func execute(_ request: HTTPClientRequest, limit: Duration) async throws -> HTTPClientResponse {
        var retried = false
        while true {
            do {
                return try await client.execute(request, timeout: .seconds(Int64(limit.seconds) + 60), logger: logger)
            } catch {
                if !retried, !Task.isCancelled, Self.isStaleConnection(error) {
                    retried = true
                    logger.debug("retrying on a fresh connection", metadata: ["error": "\(error)"])
                    continue
                }
                throw TransportFailure(phase: .connecting, underlying: error)
            }
        }
    }

    /// The request met a connection the server had already closed, so it never arrived.
    static func isStaleConnection(_ error: any Error) -> Bool {
        if let error = error as? ChannelError, error == .ioOnClosedChannel || error == .alreadyClosed { return true }
        if let error = error as? HTTPClientError, error == .remoteConnectionClosed { return true }
        return false
    }

    /// Sends a request and returns its JSON body when the status is 2xx; maps anything else.
    func call(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil, model: String? = nil, limit: Duration) async throws(ModelBackendError) -> JSONValue {
        let reply = try await send(method, path, body: body, limit: limit)
        guard reply.isSuccess else { throw failure(for: reply, path: path, model: model) }
        do {
            return try JSONValue.parse(reply.body)
        } catch {
            throw .badResponse(displayURL, "\(path) did not return JSON: \(error)")
        }
    }

    /// The error a non-2xx reply means.
    func failure(for reply: Reply, path: String, model: String?) -> ModelBackendError {
        redacted(unredactedFailure(for: reply, path: path, model: model))
    }

    private func unredactedFailure(for reply: Reply, path: String, model: String?) -> ModelBackendError {
        let detail = Self.errorText(of: reply)
        switch reply.status {
        case 401, 403:
            return .unauthorized(displayURL, status: reply.status, apiKeyEnv: apiKeyEnv, keyPresent: apiKey != nil)
        case 404:
            return .modelNotFound(displayURL, path: path, model: model, detail: detail)
        case 400, 413, 422:
            let lowered = detail.lowercased()
            if lowered.contains("exceed_context") || lowered.contains("context") {
                return .contextOverflow(detail)
            }
            return ModelBackendError(.invalidRequest, "the server at \(displayURL) rejected the request to \(path) (HTTP \(reply.status): \(detail))")
        case 500..<600:
            return ModelBackendError(
                .serverError,
                "the server at \(displayURL) failed (HTTP \(reply.status)\(detail.isEmpty ? "" : ": \(detail)")); see its log"
            )
        default:
            return .badResponse(displayURL, "unexpected HTTP \(reply.status) from \(path)\(detail.isEmpty ? "" : ": \(detail)")")
        }
    }

    /// The server's own words about an error: `error.message` (+ `error.type`) of an OpenAI-style
    /// error body, or the start of the body's text.
    static func errorText(of reply: Reply) -> String {
        if let json = reply.json {
            let error = json["error"]
            if let message = error?["message"]?.stringValue ?? error?.stringValue ?? json["message"]?.stringValue {
                if let type = error?["type"]?.stringValue ?? error?["code"]?.stringValue {
                    return "\(message) [\(type)]"
                }
                return message
            }
        }
        let text = String(decoding: reply.body.prefix(300), as: UTF8.self)
        return text.trimmed(of: " \n\r\t")
    }

    /// Removes the API key from text that came from elsewhere.
    func redact(_ text: String) -> String {
        guard let apiKey else { return text }
        return text.replacing(apiKey, with: "[redacted]")
    }

    /// Maps anything a call threw to the error the caller sees.
    func mapFailure(_ error: any Error) -> ModelBackendError {
        if let error = error as? ModelBackendError { return redacted(error) }
        if Task.isCancelled || error is CancellationError { return .cancelledByCaller }
        if let failure = error as? TransportFailure {
            return redacted(failure.backendError(url: displayURL, connectTimeout: timeouts.connect))
        }
        return redacted(.badResponse(displayURL, "\(error)"))
    }

    private func redacted(_ error: ModelBackendError) -> ModelBackendError {
        ModelBackendError(error.code, redact(error.message))
    }
}

/// A failure of the HTTP exchange itself, tagged with when it happened.
struct TransportFailure: Error {
    enum Phase { case connecting, receiving }
    var phase: Phase
    var underlying: any Error

    func backendError(url: String, connectTimeout: Duration) -> ModelBackendError {
        if let error = underlying as? HTTPClientError {
            switch error {
            case .cancelled:
                return .cancelledByCaller
            case .connectTimeout:
                return .unreachable(url, detail: "no connection within \(connectTimeout.secondsDescription)")
            case .invalidURL, .emptyHost, .emptyScheme:
                return ModelBackendError(.invalidRequest, "backend.url '\(url)' is not a valid http(s) URL")
            case .deadlineExceeded, .readTimeout:
                return .timeout("no answer", after: connectTimeout, url: url)
            default:
                if String(describing: error).contains("unsupportedScheme") {
                    return ModelBackendError(.invalidRequest, "backend.url '\(url)' is not a valid http(s) URL")
                }
            }
        }
        switch phase {
        case .connecting:
            if let error = underlying as? HTTPClientError, error == .remoteConnectionClosed {
                return ModelBackendError(
                    .serverError,
                    "the server at \(url) closed the connection without answering; see its log"
                )
            }
            return .unreachable(url, detail: Self.describe(underlying))
        case .receiving:
            return ModelBackendError(
                .serverError,
                "the server at \(url) closed the connection before the answer was complete (\(Self.describe(underlying))); see its log"
            )
        }
    }

    static func describe(_ error: any Error) -> String {
        let text = String(describing: error)
        return text.count > 200 ? String(text.prefix(200)) + "…" : text
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var text = self
        while text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return text
    }

    func trimmed(of set: String) -> String {
        let characters = Set(set)
        var slice = self[...]
        while let first = slice.first, characters.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, characters.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
