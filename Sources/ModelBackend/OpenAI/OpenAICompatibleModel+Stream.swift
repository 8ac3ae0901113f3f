import AsyncHTTPClient
import JSON
import NIOCore

extension OpenAICompatibleModel {
    public func stream(_ request: ChatRequest) -> AsyncThrowingStream<StreamEvent, any Error> {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await self.runStream(request) { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: self.transport.mapFailure(error))
                }
            }
            // Ending the consumer (cancellation, or dropping the iterator) cancels the request,
            // which closes the connection and frees the server's slot.
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func runStream(_ request: ChatRequest, yield: @escaping @Sendable (StreamEvent) -> Void) async throws {
        let model = try await requestModel(request.options)
        let body = OpenAIPayload.chatBody(
            messages: request.messages,
            options: request.options,
            model: model,
            n: 1,
            seed: request.options.seed,
            stream: true
        )
        let timeouts = transport.timeouts
        let firstToken = OnceFlag()
        let url = self.url
        try await withStreamLimits(
            firstToken: timeouts.firstToken,
            total: timeouts.total,
            flag: firstToken,
            busy: { await self.serverBusy() },
            waiting: waitingReporter,
            firstTokenTimeout: { .timeout("no first token", after: timeouts.firstToken, url: url) },
            totalTimeout: { .timeout("the answer did not end", after: timeouts.total, url: url) }
        ) {
            try await self.readStream(body: body, model: model, firstToken: firstToken, yield: yield)
        }
    }

    private func readStream(
        body: JSONValue,
        model: String?,
        firstToken: OnceFlag,
        yield: @Sendable (StreamEvent) -> Void
    ) async throws {
        let path = "/v1/chat/completions"
        let started = ContinuousClock.now
        let httpRequest = transport.makeRequest(.POST, path, body: body, streaming: true)
        let response = try await transport.execute(httpRequest, limit: transport.timeouts.total)
        let status = Int(response.status.code)
        guard (200..<300).contains(status) else {
            let buffer = try? await response.body.collect(upTo: 1 << 20)
            let reply = HTTPTransport.Reply(status: status, body: buffer.map { Array($0.readableBytesView) } ?? [])
            throw transport.failure(for: reply, path: path, model: model)
        }

        var reader = StreamReader(url: url)
        if response.headers["content-type"].first?.lowercased().hasPrefix("application/json") == true {
            // A server that ignores `stream` answers with one JSON reply.
            let buffer: ByteBuffer
            do { buffer = try await response.body.collect(upTo: 64 << 20) } catch {
                throw TransportFailure(phase: .receiving, underlying: error)
            }
            try reader.readWholeReply(Array(buffer.readableBytesView), transport: transport, path: path, model: model)
        } else {
            do {
                for try await buffer in response.body {
                    for event in try reader.feed(buffer.readableBytesView, transport: transport, path: path, model: model) {
                        if case .delta = event { firstToken.set() }
                        yield(event)
                    }
                    if reader.isDone { break }
                }
            } catch let error as ModelBackendError {
                throw error
            } catch {
                throw TransportFailure(phase: .receiving, underlying: error)
            }
            try reader.finish(transport: transport, path: path, model: model)
        }
        for event in reader.pendingDeltas {
            firstToken.set()
            yield(event)
        }
        var usage = reader.usage ?? Usage()
        usage.seconds = (ContinuousClock.now - started).seconds
        logger.debug("backend stream ended", metadata: ["finish": "\(reader.finishReason ?? "none")"])
        yield(.finished(finishReason: reader.finishReason, usage: usage))
    }
}

/// Turns the SSE chunks of one streamed chat completion into `StreamEvent`s and remembers its
/// finish reason and usage. Ends at `data: [DONE]`.
struct StreamReader {
    let url: String
    private var parser = SSEParser()
    private(set) var isDone = false
    private(set) var finishReason: String?
    private(set) var usage: Usage?
    private(set) var pendingDeltas: [StreamEvent] = []
    private var sawChunk = false

    init(url: String) { self.url = url }

    mutating func feed(
        _ bytes: some Sequence<UInt8>,
        transport: HTTPTransport,
        path: String,
        model: String?
    ) throws(ModelBackendError) -> [StreamEvent] {
        let events: [SSEEvent]
        do { events = try parser.feed(bytes) } catch {
            throw .badResponse(url, "the event stream has a line longer than \(parser.maximumLineLength) bytes")
        }
        return try handle(events, transport: transport, path: path, model: model)
    }

    mutating func finish(transport: HTTPTransport, path: String, model: String?) throws(ModelBackendError) {
        if !isDone {
            pendingDeltas = try handle(parser.finish(), transport: transport, path: path, model: model)
        }
        guard isDone || finishReason != nil else {
            if !sawChunk {
                throw .badResponse(url, "the event stream ended without any chunk")
            }
            throw ModelBackendError(
                .serverError,
                "the server at \(url) closed the stream before the answer was complete; see its log"
            )
        }
    }

    mutating func readWholeReply(_ body: [UInt8], transport: HTTPTransport, path: String, model: String?) throws(ModelBackendError) {
        guard let json = try? JSONValue.parse(body), let choice = OpenAIPayload.chatChoices(json)?.first else {
            throw .badResponse(url, "the reply to a streaming request is neither an event stream nor a chat completion")
        }
        pendingDeltas = choice.text.isEmpty ? [] : [.delta(choice.text)]
        finishReason = choice.finishReason
        usage = OpenAIPayload.usage(json)
        isDone = true
    }

    private mutating func handle(
        _ events: [SSEEvent],
        transport: HTTPTransport,
        path: String,
        model: String?
    ) throws(ModelBackendError) -> [StreamEvent] {
        var result: [StreamEvent] = []
        for event in events where !isDone {
            if let error = event.error {
                throw streamError(status: nil, text: error, transport: transport, path: path, model: model)
            }
            let data = event.data.trimmed(of: " \n\r\t")
            if data == "[DONE]" {
                isDone = true
                break
            }
            if data.isEmpty { continue }
            guard let json = try? JSONValue.parse(data), json.objectValue != nil else {
                throw .badResponse(url, "an event of the stream is not JSON: \(data.prefix(80))")
            }
            if let error = OpenAIPayload.embeddedError(json) {
                throw streamError(status: error.status, text: error.text, transport: transport, path: path, model: model)
            }
            guard let choices = json["choices"]?.arrayValue else {
                throw .badResponse(url, "an event of the stream has no choices")
            }
            sawChunk = true
            if let chunkUsage = OpenAIPayload.usage(json) { usage = chunkUsage }
            for choice in choices where (choice["index"]?.intValue ?? 0) == 0 {
                if let content = choice["delta"]?["content"]?.stringValue, !content.isEmpty {
                    result.append(.delta(content))
                }
                if let reason = choice["finish_reason"]?.stringValue { finishReason = reason }
            }
        }
        return result
    }

    private func streamError(status: Int?, text: String, transport: HTTPTransport, path: String, model: String?) -> ModelBackendError {
        let body = JSONValue.object(["error": ["message": .string(text)]])
        return transport.failure(
            for: HTTPTransport.Reply(status: status ?? 500, body: Array(body.serializedBytes())),
            path: path,
            model: model
        )
    }
}
