import JSON
import NIOHTTP1

extension StandInBackend {
    func respond(to request: StandInRequest, exchange: Exchange) async -> Outcome {
        let (faults, script, key, started) = state.withLockedValue { ($0.faults, $0.script, $0.requiredAPIKey, $0.started) }
        let busyUntil = faults.compactMap { fault -> ContinuousClock.Instant? in
            if case .busyFor(let duration) = fault { return started + duration } else { return nil }
        }.max()
        let plain = faults.contains(.noExtras)
        let route = (request.method, request.path)

        if route == ("GET", "/health") {
            if plain { return await notFound(request, exchange) }
            return await finish(exchange.send(status: .ok, json: ["status": "ok"]))
        }
        if faults.contains(.unauthorized) || (key != nil && request.authorization != "Bearer \(key!)") {
            return await finish(
                exchange.send(status: .unauthorized, json: errorBody("Invalid API Key", type: "authentication_error", code: 401))
            )
        }
        switch route {
        case ("GET", "/props") where !plain:
            let props: JSONValue = [
                "default_generation_settings": ["n_ctx": .int(Int64(script.contextTokens))],
                "total_slots": .int(Int64(script.slots)),
                "model_path": .string("/stand-in/\(script.model).gguf"),
                "model_alias": .string(script.model),
            ]
            return await finish(exchange.send(status: .ok, json: props))
        case ("GET", "/slots") where !plain:
            let busy = busyUntil.map { ContinuousClock.now < $0 } ?? false
            let slots = (0..<script.slots).map { index -> JSONValue in
                ["id": .int(Int64(index)), "is_processing": .bool(busy), "n_ctx": .int(Int64(script.contextTokens))]
            }
            return await finish(exchange.send(status: .ok, json: .array(slots)))
        case ("GET", "/v1/models"):
            let models: JSONValue = ["object": "list", "data": [["id": .string(script.model), "object": "model"]]]
            return await finish(exchange.send(status: .ok, json: models))
        case ("POST", "/tokenize") where !plain:
            guard let content = request.body?["content"]?.stringValue else {
                return await invalid("\"content\" must be a string", exchange)
            }
            let tokens = StandInScript.tokens(content).map { JSONValue.int(Int64($0)) }
            return await finish(exchange.send(status: .ok, json: ["tokens": .array(tokens)]))
        case ("POST", "/v1/chat/completions"):
            return await chat(request, faults: faults, script: script, exchange: exchange)
        case ("POST", "/infill") where !plain:
            return await infill(request, faults: faults, script: script, exchange: exchange)
        default:
            return await notFound(request, exchange)
        }
    }

    // MARK: Chat

    private func chat(_ request: StandInRequest, faults: [StandInFault], script: StandInScript, exchange: Exchange) async -> Outcome {
        guard let body = request.body, let list = body["messages"]?.arrayValue else {
            return await invalid("\"messages\" must be an array", exchange)
        }
        var messages: [(role: String, content: String)] = []
        for message in list {
            guard let role = message["role"]?.stringValue, let content = message["content"]?.stringValue else {
                return await invalid("each message needs string \"role\" and \"content\"", exchange)
            }
            messages.append((role, content))
        }
        let generation = begin(body: body, faults: faults, script: script, prompt: messages.map(\.content))
        if let failure = generation.failure { return await finish(exchange.send(status: failure.status, json: failure.body)) }

        let samples = (0..<generation.n).map { index in
            generation.limit(script.chatAnswer(messages: messages, seed: generation.seed &+ UInt32(index), index: index))
        }
        if let delay = generation.firstTokenDelay, !(await exchange.pause(delay)) { return .clientGone }
        let plain = faults.contains(.noExtras)
        if body["stream"]?.boolValue == true {
            return await streamChat(samples, generation: generation, plain: plain, faults: faults, script: script, exchange: exchange)
        }
        let choices: [JSONValue] = samples.enumerated().map { index, sample in
            [
                "index": .int(Int64(index)),
                "message": ["role": "assistant", "content": .string(sample.text)],
                "finish_reason": .string(sample.finishReason),
            ]
        }
        var reply: [String: JSONValue] = [
            "id": "chatcmpl-stand-in",
            "object": "chat.completion",
            "model": .string(script.model),
            "choices": .array(choices),
            "usage": generation.usage(completionTokens: samples[0].tokens),
        ]
        if !plain { reply["timings"] = generation.timings(predicted: samples[0].tokens) }
        return await sendFinal(.object(reply), faults: faults, exchange: exchange)
    }

    private func streamChat(
        _ samples: [Sample],
        generation: Generation,
        plain: Bool,
        faults: [StandInFault],
        script: StandInScript,
        exchange: Exchange
    ) async -> Outcome {
        guard await exchange.beginBody(status: .ok, contentType: "text/event-stream") else { return .clientGone }
        if faults.contains(.garbageSSE) {
            guard await exchange.write(Array("data: {\"choices\": [this is not json\n\n".utf8)) else { return .clientGone }
            guard await exchange.write(Array("data: [DONE]\n\n".utf8)) else { return .clientGone }
            return await exchange.end() ? .completed : .clientGone
        }
        func chunk(_ index: Int, delta: JSONValue, finish: String?) -> JSONValue {
            [
                "id": "chatcmpl-stand-in", "object": "chat.completion.chunk", "model": .string(script.model),
                "choices": [["index": .int(Int64(index)), "delta": delta, "finish_reason": finish.map { .string($0) } ?? .null]],
            ]
        }
        var events: [JSONValue] = []
        for index in samples.indices { events.append(chunk(index, delta: ["role": "assistant", "content": .null], finish: nil)) }
        let pieces = samples.map { StandInScript.pieces($0.text) }
        for step in 0..<(pieces.map(\.count).max() ?? 0) {
            for index in samples.indices where step < pieces[index].count {
                events.append(chunk(index, delta: ["content": .string(pieces[index][step])], finish: nil))
            }
        }
        for (index, sample) in samples.enumerated() {
            events.append(chunk(index, delta: [:], finish: sample.finishReason))
            var usage: [String: JSONValue] = [
                "id": "chatcmpl-stand-in", "object": "chat.completion.chunk", "model": .string(script.model),
                "choices": [], "usage": generation.usage(completionTokens: sample.tokens),
            ]
            if !plain { usage["timings"] = generation.timings(predicted: sample.tokens) }
            events.append(.object(usage))
        }
        for (position, event) in events.enumerated() {
            if faults.contains(.dropMidStream), position == min(2, events.count - 1) {
                await exchange.drop()
                return .dropped
            }
            guard await exchange.write(Array("data: \(event.serialized())\n\n".utf8)) else { return .clientGone }
            if script.tokenDelay > .zero, !(await exchange.pause(script.tokenDelay)) { return .clientGone }
        }
        guard await exchange.write(Array("data: [DONE]\n\n".utf8)) else { return .clientGone }
        return await exchange.end() ? .completed : .clientGone
    }

    // MARK: Infill

    private func infill(_ request: StandInRequest, faults: [StandInFault], script: StandInScript, exchange: Exchange) async -> Outcome {
        guard let body = request.body, let prefix = body["input_prefix"]?.stringValue,
            let suffix = body["input_suffix"]?.stringValue
        else {
            return await invalid("\"input_prefix\" and \"input_suffix\" are required", exchange)
        }
        let extra = (body["input_extra"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
        let generation = begin(body: body, faults: faults, script: script, prompt: [extra, prefix, suffix])
        if let failure = generation.failure { return await finish(exchange.send(status: failure.status, json: failure.body)) }
        let runsPast = faults.contains(.infillRunsPast)
        let samples = (0..<generation.n).map { index in
            var answer = script.infillAnswer(
                prefix: prefix, suffix: suffix, extra: extra, seed: generation.seed &+ UInt32(index), index: index
            )
            if runsPast { answer += suffix + "\n```\n\nThis code completes the function." }
            return generation.limit(answer)
        }
        if let delay = generation.firstTokenDelay, !(await exchange.pause(delay)) { return .clientGone }
        let items: [JSONValue] = samples.enumerated().map { index, sample in
            [
                "index": .int(Int64(index)),
                "content": .string(sample.text),
                "stop": true,
                "stop_type": .string(sample.finishReason == "length" ? "limit" : "eos"),
                "tokens_predicted": .int(Int64(sample.tokens)),
                "tokens_evaluated": .int(Int64(generation.promptTokens)),
                "timings": index == 0 ? generation.timings(predicted: sample.tokens) : ["prompt_n": 0, "cache_n": .int(Int64(generation.promptTokens)), "predicted_n": .int(Int64(sample.tokens))],
                "model": .string(script.model),
            ]
        }
        return await sendFinal(items.count == 1 ? items[0] : .array(items), faults: faults, exchange: exchange)
    }

    // MARK: Shared

    /// Counts the call, applies the faults and limits, and plans the samples.
    private func begin(body: JSONValue, faults: [StandInFault], script: StandInScript, prompt: [String]) -> Generation {
        let promptTokens = prompt.reduce(0) { $0 + StandInScript.tokenCount($1) + 4 }
        let promptIDs = prompt.flatMap { StandInScript.tokens($0) }
        let (call, cached) = state.withLockedValue { state -> (Int, Int) in
            state.generationCalls += 1
            let common = zip(state.lastPrompt, promptIDs).prefix(while: { $0 == $1 }).count
            state.lastPrompt = promptIDs
            return (state.generationCalls, min(common, max(0, promptTokens - 1)))
        }
        onGenerationCall?(call)
        let requestedSeed = body["seed"]?.intValue.flatMap { $0 >= 0 && $0 <= Int64(UInt32.max) ? UInt32($0) : nil }
        var generation = Generation(
            n: max(1, Int(body["n"]?.intValue ?? body["n_cmpl"]?.intValue ?? 1)),
            seed: requestedSeed ?? UInt32(truncatingIfNeeded: 1000 * call),
            maxTokens: Int(body["max_tokens"]?.intValue ?? body["n_predict"]?.intValue ?? 256),
            stop: body["stop"]?.arrayValue?.compactMap(\.stringValue) ?? [],
            promptTokens: promptTokens,
            cachedTokens: cached
        )
        let plain = faults.contains(.noExtras)
        for fault in faults {
            switch fault {
            case .modelNotFound:
                let model = body["model"]?.stringValue ?? script.model
                generation.fail(404, "model '\(model)' not found", type: "not_found_error")
            case .serverError:
                generation.fail(500, "stand-in internal error", type: "server_error")
            case .failSeeds(let seeds) where requestedSeed.map(seeds.contains) == true:
                generation.fail(500, "stand-in failure for seed \(requestedSeed!)", type: "server_error")
            case .failCalls(let calls) where calls.contains(call):
                generation.fail(500, "stand-in failure for call \(call)", type: "server_error")
            case .contextOverflow:
                generation.overflow(contextTokens: script.contextTokens)
            case .slowFirstToken(let delay):
                generation.firstTokenDelay = delay
            case .busyFor(let duration):
                // Queued behind the other clients' work until it is over.
                let until = state.withLockedValue { $0.started } + duration
                if until > .now {
                    generation.firstTokenDelay = max(generation.firstTokenDelay ?? .zero, until - .now)
                }
            case .ignoresN:
                generation.n = 1
            default:
                break
            }
        }
        if generation.failure == nil, promptTokens > script.contextTokens {
            generation.overflow(contextTokens: script.contextTokens)
        }
        if generation.failure == nil, !plain, generation.n > script.slots {
            generation.fail(
                400, "Field 'n': Value must be between 1 <= value <= \(script.slots), but got \(generation.n)",
                type: "invalid_request_error"
            )
        }
        return generation
    }

    /// A non-streaming final answer, or the faults that spoil it.
    private func sendFinal(_ reply: JSONValue, faults: [StandInFault], exchange: Exchange) async -> Outcome {
        if faults.contains(.garbageJSON) {
            return await finish(exchange.send(status: .ok, contentType: "application/json", body: Array("{\"choices\": [oops".utf8)))
        }
        if faults.contains(.dropMidStream) {
            let bytes = reply.serializedBytes()
            guard await exchange.beginBody(status: .ok, contentType: "application/json", contentLength: bytes.count) else {
                return .clientGone
            }
            _ = await exchange.write(Array(bytes.prefix(bytes.count / 2)))
            await exchange.drop()
            return .dropped
        }
        return await finish(exchange.send(status: .ok, json: reply))
    }

    private func notFound(_ request: StandInRequest, _ exchange: Exchange) async -> Outcome {
        await finish(
            exchange.send(status: .notFound, json: errorBody("File Not Found: \(request.path)", type: "not_found_error", code: 404))
        )
    }

    private func invalid(_ message: String, _ exchange: Exchange) async -> Outcome {
        await finish(exchange.send(status: .badRequest, json: errorBody(message, type: "invalid_request_error", code: 400)))
    }

    private func finish(_ sent: Bool) -> Outcome { sent ? .completed : .clientGone }
}

func errorBody(_ message: String, type: String, code: Int) -> JSONValue {
    ["error": ["code": .int(Int64(code)), "message": .string(message), "type": .string(type)]]
}

/// One sample's text after `max_tokens` and `stop` were applied.
struct Sample {
    var text: String
    var finishReason: String
    var tokens: Int
}

/// The plan of one generation request.
struct Generation {
    var n: Int
    var seed: UInt32
    var maxTokens: Int
    var stop: [String]
    var promptTokens: Int
    var cachedTokens: Int
    var firstTokenDelay: Duration?
    var failure: (status: HTTPResponseStatus, body: JSONValue)?

    mutating func fail(_ status: Int, _ message: String, type: String) {
        guard failure == nil else { return }
        failure = (HTTPResponseStatus(statusCode: status), errorBody(message, type: type, code: status))
    }

    mutating func overflow(contextTokens: Int) {
        guard failure == nil else { return }
        var body = errorBody(
            "request (\(promptTokens) tokens) exceeds the available context size (\(contextTokens) tokens), try increasing it",
            type: "exceed_context_size_error",
            code: 400
        )
        if case .object(var members) = body, case .object(var error) = members["error"] {
            error["n_prompt_tokens"] = .int(Int64(promptTokens))
            error["n_ctx"] = .int(Int64(contextTokens))
            members["error"] = .object(error)
            body = .object(members)
        }
        failure = (.badRequest, body)
    }

    /// Cuts `answer` at the first stop sequence and at `maxTokens`.
    func limit(_ answer: String) -> Sample {
        var text = answer
        var reason = "stop"
        if let cut = stop.compactMap({ text.range(of: $0)?.lowerBound }).min() {
            text = String(text[..<cut])
        }
        var kept = ""
        var tokens = 0
        for piece in StandInScript.pieces(text) {
            let cost = StandInScript.tokenCount(piece)
            if tokens + cost > maxTokens {
                reason = "length"
                break
            }
            kept += piece
            tokens += cost
        }
        return Sample(text: kept, finishReason: reason, tokens: tokens)
    }

    func usage(completionTokens: Int) -> JSONValue {
        [
            "prompt_tokens": .int(Int64(promptTokens)),
            "completion_tokens": .int(Int64(completionTokens)),
            "total_tokens": .int(Int64(promptTokens + completionTokens)),
            "prompt_tokens_details": ["cached_tokens": .int(Int64(cachedTokens))],
        ]
    }

    func timings(predicted: Int) -> JSONValue {
        [
            "prompt_n": .int(Int64(promptTokens - cachedTokens)),
            "cache_n": .int(Int64(cachedTokens)),
            "predicted_n": .int(Int64(predicted)),
        ]
    }
}

extension String {
    /// The range of the first occurrence of `other`, without Foundation.
    fileprivate func range(of other: String) -> Range<String.Index>? {
        guard !other.isEmpty else { return nil }
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(other) { return index..<(self.index(index, offsetBy: other.count)) }
            index = self.index(after: index)
        }
        return nil
    }
}
