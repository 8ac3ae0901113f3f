import JSON

/// Request bodies and response readers of the OpenAI chat API and llama.cpp's extras: pure
/// functions from values to `JSONValue` and back, so their shapes are tested without a server.
enum OpenAIPayload {
    /// The body of `POST /v1/chat/completions`.
    static func chatBody(
        messages: [ChatMessage],
        options: SamplingOptions,
        model: String?,
        n: Int,
        seed: UInt32?,
        stream: Bool
    ) -> JSONValue {
        var body: [String: JSONValue] = [
            "messages": .array(messages.map { ["role": .string($0.role.rawValue), "content": .string($0.content)] }),
            "temperature": .double(options.temperature),
            "max_tokens": .int(Int64(max(1, options.maxTokens))),
            "cache_prompt": true,
        ]
        if let model = options.model ?? model { body["model"] = .string(model) }
        if let seed { body["seed"] = .int(Int64(seed)) }
        if !options.stop.isEmpty { body["stop"] = .array(options.stop.map { .string($0) }) }
        if n > 1 { body["n"] = .int(Int64(n)) }
        if stream {
            body["stream"] = true
            body["stream_options"] = ["include_usage": true]
        }
        return .object(body)
    }

    /// The body of llama.cpp's `POST /infill`.
    static func infillBody(_ request: InfillRequest, n: Int, seed: UInt32?, stop: [String]) -> JSONValue {
        var body: [String: JSONValue] = [
            "input_prefix": .string(request.prefix),
            "input_suffix": .string(request.suffix),
            "n_predict": .int(Int64(max(1, request.options.maxTokens))),
            "temperature": .double(request.options.temperature),
            "cache_prompt": true,
        ]
        if !request.extraContext.isEmpty {
            body["input_extra"] = .array(request.extraContext.map { ["filename": .string($0.name), "text": .string($0.text)] })
        }
        if let seed { body["seed"] = .int(Int64(seed)) }
        if !stop.isEmpty { body["stop"] = .array(stop.map { .string($0) }) }
        if n > 1 { body["n"] = .int(Int64(n)) }
        return .object(body)
    }

    /// One choice of a chat reply.
    struct Choice: Sendable, Hashable {
        var index: Int
        var text: String
        var finishReason: String?
    }

    /// Reads the choices of a non-streaming chat reply, ordered by `index`.
    static func chatChoices(_ json: JSONValue) -> [Choice]? {
        guard let choices = json["choices"]?.arrayValue else { return nil }
        var result: [Choice] = []
        for (position, choice) in choices.enumerated() {
            guard let message = choice["message"] ?? choice["delta"] else { return nil }
            let text = message["content"]?.stringValue ?? ""
            let index = choice["index"]?.intValue.map(Int.init) ?? position
            result.append(Choice(index: index, text: text, finishReason: choice["finish_reason"]?.stringValue))
        }
        return result.sorted { $0.index < $1.index }
    }

    /// Reads llama.cpp's `/infill` reply: one object, or an array of them when `n` > 1.
    static func infillChoices(_ json: JSONValue) -> [(choice: Choice, usage: Usage)]? {
        let items = json.arrayValue ?? [json]
        var result: [(Choice, Usage)] = []
        for (position, item) in items.enumerated() {
            guard let content = item["content"]?.stringValue else { return nil }
            let index = item["index"]?.intValue.map(Int.init) ?? position
            let finish: String?
            switch item["stop_type"]?.stringValue {
            case "limit": finish = "length"
            case nil, "none": finish = nil
            default: finish = "stop"
            }
            var usage = Usage()
            let timings = item["timings"]
            let evaluated = item["tokens_evaluated"]?.intValue.map(Int.init)
            let prefilled = timings?["prompt_n"]?.intValue.map(Int.init)
            let cached = timings?["cache_n"]?.intValue.map(Int.init)
            usage.promptTokens = evaluated ?? ((prefilled ?? 0) + (cached ?? 0))
            usage.prefilledTokens = prefilled ?? usage.promptTokens
            usage.completionTokens =
                item["tokens_predicted"]?.intValue.map(Int.init) ?? timings?["predicted_n"]?.intValue.map(Int.init) ?? 0
            result.append((Choice(index: index, text: content, finishReason: finish), usage))
        }
        return result.sorted { $0.0.index < $1.0.index }
    }

    /// Reads `usage` (OpenAI) and `timings` (llama.cpp) of a reply or of a final stream chunk.
    ///
    /// `promptTokens` is the whole prompt; `prefilledTokens` what the server evaluated (llama.cpp's
    /// `timings.prompt_n`, else `prompt_tokens - cached_tokens`); `nil` when neither is present.
    static func usage(_ json: JSONValue) -> Usage? {
        let usage = json["usage"]
        let timings = json["timings"]
        guard usage?.objectValue != nil || timings?.objectValue != nil else { return nil }
        let promptTokens = usage?["prompt_tokens"]?.intValue.map(Int.init)
        let cachedTokens = usage?["prompt_tokens_details"]?["cached_tokens"]?.intValue.map(Int.init)
        let prefilled = timings?["prompt_n"]?.intValue.map(Int.init)
        let cached = timings?["cache_n"]?.intValue.map(Int.init)
        var result = Usage()
        result.promptTokens = promptTokens ?? ((prefilled ?? 0) + (cached ?? 0))
        result.prefilledTokens = prefilled ?? (result.promptTokens - (cachedTokens ?? 0))
        result.completionTokens =
            usage?["completion_tokens"]?.intValue.map(Int.init) ?? timings?["predicted_n"]?.intValue.map(Int.init) ?? 0
        return result
    }

    /// The server's error inside a 200 reply or a stream chunk (`{"error": …}`), if any.
    static func embeddedError(_ json: JSONValue) -> (status: Int?, text: String)? {
        guard let error = json["error"], !error.isNull else { return nil }
        let message = error["message"]?.stringValue ?? error.stringValue ?? error.serialized()
        let type = error["type"]?.stringValue
        let status = error["code"]?.intValue.map(Int.init)
        return (status, type.map { "\(message) [\($0)]" } ?? message)
    }
}
