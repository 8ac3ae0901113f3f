import JSON

extension OpenAICompatibleModel {
    public func complete(_ request: ChatRequest) async throws(ModelBackendError) -> [Completion] {
        let n = max(1, request.n)
        let capabilities = try await capabilities()
        let model = try await requestModel(request.options)
        let plan = SamplePlan(n: n, seed: request.options.seed, capabilities: capabilities)
        return try await collectSamples(plan) { batch async throws(ModelBackendError) -> [Completion] in
            try await self.chatBatch(request, batch: batch, model: model)
        }
    }

    /// One request for the samples of `batch`: with `n` when the batch has more than one.
    func chatBatch(_ request: ChatRequest, batch: SamplePlan.Batch, model: String?) async throws(ModelBackendError) -> [Completion] {
        let body = OpenAIPayload.chatBody(
            messages: request.messages,
            options: request.options,
            model: model,
            n: batch.count,
            seed: batch.seed,
            stream: false
        )
        let started = ContinuousClock.now
        let path = "/v1/chat/completions"
        let transport = self.transport
        let json = try await queued { () async throws(ModelBackendError) in
            try await transport.call(.POST, path, body: body, model: model, limit: transport.timeouts.total)
        }
        let seconds = (ContinuousClock.now - started).seconds
        if let error = OpenAIPayload.embeddedError(json) {
            throw transport.failure(
                for: HTTPTransport.Reply(status: error.status ?? 500, body: Array(json.serializedBytes())),
                path: path,
                model: model
            )
        }
        guard let choices = OpenAIPayload.chatChoices(json), !choices.isEmpty else {
            throw .badResponse(url, "no choices in the reply to \(path)")
        }
        let usage = OpenAIPayload.usage(json) ?? Usage()
        return try await attribute(
            choices: choices.prefix(batch.count).map { (choice: $0, usage: nil as Usage?) },
            callUsage: usage,
            seconds: seconds,
            firstIndex: batch.firstIndex
        )
    }

    /// Turns the choices of one call into completions: the call's prompt cost and time go to its
    /// first sample, each sample keeps its own completion tokens (counted when the server
    /// reports them only for the first).
    func attribute(
        choices: [(choice: OpenAIPayload.Choice, usage: Usage?)],
        callUsage: Usage,
        seconds: Double,
        firstIndex: Int
    ) async throws(ModelBackendError) -> [Completion] {
        var completions: [Completion] = []
        for (position, item) in choices.enumerated() {
            var usage = item.usage ?? Usage()
            if position == 0 {
                usage.promptTokens = callUsage.promptTokens
                usage.prefilledTokens = callUsage.prefilledTokens
                usage.seconds = seconds
                if item.usage == nil { usage.completionTokens = callUsage.completionTokens }
            } else {
                usage.promptTokens = 0
                usage.prefilledTokens = 0
                usage.seconds = 0
                if item.usage == nil {
                    usage.completionTokens = (try? await countTokens(item.choice.text)) ?? Self.estimateTokens(item.choice.text)
                }
            }
            completions.append(
                Completion(index: firstIndex + position, text: item.choice.text, finishReason: item.choice.finishReason, usage: usage)
            )
        }
        return completions
    }

    /// Runs the batches of `plan` concurrently and gathers what succeeded, in index order; throws
    /// the most telling error when nothing did. The one fallback for a server that ignores `n`
    /// (chat and infill alike): a batch that returns fewer samples than it asked for has the
    /// missing ones asked for as single requests, and `n` is not used again.
    func collectSamples(
        _ plan: SamplePlan,
        run: @escaping @Sendable (SamplePlan.Batch) async throws(ModelBackendError) -> [Completion]
    ) async throws(ModelBackendError) -> [Completion] {
        let outcomes = await withTaskGroup(of: Result<[Completion], ModelBackendError>.self) { group in
            for batch in plan.batches {
                group.addTask {
                    do throws(ModelBackendError) {
                        var samples = try await run(batch)
                        if samples.count < batch.count {
                            self.downgradeMultipleSamples()
                            let missing = SamplePlan.singles(
                                count: batch.count - samples.count,
                                firstIndex: batch.firstIndex + samples.count,
                                seed: batch.seed.map { $0 &+ UInt32(samples.count) }
                            )
                            samples += (try? await self.collectSamples(missing, run: run)) ?? []
                        }
                        return .success(samples)
                    } catch {
                        return .failure(error)
                    }
                }
            }
            var outcomes: [Result<[Completion], ModelBackendError>] = []
            for await outcome in group { outcomes.append(outcome) }
            return outcomes
        }
        var completions: [Completion] = []
        var errors: [ModelBackendError] = []
        for outcome in outcomes {
            switch outcome {
            case .success(let batch): completions += batch
            case .failure(let error): errors.append(error)
            }
        }
        if Task.isCancelled { throw .cancelledByCaller }
        guard !completions.isEmpty else {
            throw errors.first(where: { $0.code != .cancelled }) ?? errors.first
                ?? .badResponse(url, "no samples came back")
        }
        for error in errors {
            logger.info("a sample failed; continuing with the others", metadata: ["error": "\(error.message)"])
        }
        return completions.sorted { $0.index < $1.index }
    }
}

/// How `n` samples are split into requests: batches of up to `slots` samples sharing one prefill
/// when the backend supports `n` (all `n` in one when the slots are unknown), otherwise one
/// request per sample. Sample `k` has seed
/// `seed + k` (a batch passes its first sample's seed).
struct SamplePlan: Sendable, Hashable {
    struct Batch: Sendable, Hashable {
        var firstIndex: Int
        var count: Int
        var seed: UInt32?
    }

    var batches: [Batch]

    init(n: Int, seed: UInt32?, capabilities: ModelCapabilities) {
        let n = max(1, n)
        if capabilities.multipleSamples, n > 1 {
            // llama.cpp refuses `n` above its slots; one slot means "unknown" (a server without
            // /props), where `n` goes in one request.
            let size = capabilities.slots > 1 ? capabilities.slots : n
            batches = stride(from: 0, to: n, by: size).map { first in
                Batch(firstIndex: first, count: min(size, n - first), seed: seed.map { $0 &+ UInt32(first) })
            }
        } else {
            self = Self.singles(count: n, firstIndex: 0, seed: seed)
        }
    }

    private init(batches: [Batch]) { self.batches = batches }

    static func singles(count: Int, firstIndex: Int, seed: UInt32?) -> SamplePlan {
        SamplePlan(
            batches: (0..<count).map { k in
                Batch(firstIndex: firstIndex + k, count: 1, seed: seed.map { $0 &+ UInt32(k) })
            }
        )
    }
}
