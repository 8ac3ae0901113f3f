import JSON

extension OpenAICompatibleModel {
    public func infill(_ request: InfillRequest) async throws(ModelBackendError) -> [Completion] {
        let capabilities = try await capabilities()
        guard capabilities.infill else {
            throw ModelBackendError(
                .unsupported,
                "the server at \(url) has no fill-in-the-middle endpoint (/infill); completions use the chat endpoint instead"
            )
        }
        let plan = SamplePlan(n: request.n, seed: request.options.seed, capabilities: capabilities)
        let stop = InfillStops.stopSequences(for: request)
        return try await collectSamples(plan) { batch async throws(ModelBackendError) -> [Completion] in
            try await self.infillBatch(request, batch: batch, stop: stop)
        }
    }

    private func infillBatch(_ request: InfillRequest, batch: SamplePlan.Batch, stop: [String]) async throws(ModelBackendError) -> [Completion] {
        let path = "/infill"
        let body = OpenAIPayload.infillBody(request, n: batch.count, seed: batch.seed, stop: stop)
        let started = ContinuousClock.now
        let transport = self.transport
        let json = try await queued { () async throws(ModelBackendError) in
            try await transport.call(.POST, path, body: body, limit: transport.timeouts.total)
        }
        let seconds = (ContinuousClock.now - started).seconds
        if let error = OpenAIPayload.embeddedError(json) {
            throw transport.failure(
                for: HTTPTransport.Reply(status: error.status ?? 500, body: Array(json.serializedBytes())),
                path: path,
                model: nil
            )
        }
        guard let items = OpenAIPayload.infillChoices(json), !items.isEmpty else {
            throw .badResponse(url, "\(path) returned no content")
        }
        // The text as the model wrote it: the engine cleans infill output (`InfillCleanup`).
        let choices = items.prefix(batch.count).map { (choice: $0.choice, usage: Optional($0.usage)) }
        let callUsage = items[0].usage
        return try await attribute(choices: choices, callUsage: callUsage, seconds: seconds, firstIndex: batch.firstIndex)
    }
}
