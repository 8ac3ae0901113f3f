import BackendStandIn
import JSON
import Testing

@testable import ModelBackend

@Suite(.timeLimit(.minutes(1))) struct OpenAICompatibleModelTests {
    let chat = "/v1/chat/completions"

    static func request(n: Int = 1, seed: UInt32? = 40, stop: [String] = [], model: String? = nil) -> ChatRequest {
        ChatRequest(
            messages: [.system("You explain code."), .user("Explain fibonacci.")],
            options: SamplingOptions(temperature: 0.7, seed: seed, maxTokens: 50, stop: stop, model: model),
            n: n
        )
    }

    @Test func sendsTheRequestTheAPIExpects() async throws {
        try await TestSupport.withStandIn(requiredAPIKey: "sk-test-123") { standIn async throws in
            let model = TestSupport.model(standIn, apiKey: "sk-test-123", apiKeyEnv: "TEST_KEY", model: "coder")
            let answer = try await model.complete(Self.request(stop: ["\n\n"]))
            #expect(answer.count == 1)
            #expect(answer[0].text == "Stand-in answer 0 (seed 40).")

            let sent = try #require(standIn.requests(to: chat).last)
            #expect(sent.method == "POST")
            #expect(sent.authorization == "Bearer sk-test-123")
            let body = try #require(sent.body)
            #expect(body["model"] == "coder")
            #expect(body["temperature"]?.doubleValue == 0.7)
            #expect(body["seed"] == 40)
            #expect(body["max_tokens"] == 50)
            #expect(body["stop"] == ["\n\n"])
            #expect(body["cache_prompt"] == true)
            #expect(body["n"] == nil)
            #expect(body["stream"] == nil)
            #expect(
                body["messages"]
                    == [["role": "system", "content": "You explain code."], ["role": "user", "content": "Explain fibonacci."]]
            )
            // Every request, probes included, carries the key.
            #expect(standIn.requests.filter { $0.path != "/health" }.allSatisfy { $0.authorization == "Bearer sk-test-123" })
        }
    }

    @Test func sendsNoAuthorizationWithoutAKey() async throws {
        try await TestSupport.withStandIn { standIn async throws in
            _ = try await TestSupport.model(standIn).complete(Self.request())
            #expect(standIn.requests.allSatisfy { $0.authorization == nil })
        }
    }

    @Test func acceptsABaseURLEndingInV1() async throws {
        try await TestSupport.withStandIn { standIn async throws in
            let model = OpenAICompatibleModel(url: standIn.url + "/v1/", timeouts: TestSupport.quick, logger: TestSupport.logger)
            _ = try await model.complete(Self.request())
            #expect(standIn.requests(to: chat).count >= 1)
            #expect(standIn.requests(to: "/props").count == 1)
        }
    }

    @Test func probesCapabilitiesOnce() async throws {
        try await TestSupport.withStandIn(script: StandInScript(contextTokens: 3000, slots: 3, model: "qwen")) { standIn async throws in
            let model = TestSupport.model(standIn)
            async let first = model.capabilities()
            async let second = model.capabilities()
            let (a, b) = try await (first, second)
            _ = try await model.complete(Self.request())
            _ = try await model.countTokens("hello")
            #expect(a == b)
            #expect(a == ModelCapabilities(contextTokens: 3000, slots: 3, multipleSamples: true, tokenize: true, infill: true, model: "qwen"))
            #expect(standIn.requests(to: "/props").count == 1)
            #expect(standIn.requests(to: "/health").count == 1)
            #expect(standIn.requests(to: "/infill").count == 1)
        }
    }

    @Test func aConfiguredContextOverridesTheReportedOne() async throws {
        try await TestSupport.withStandIn { standIn async throws in
            #expect(try await TestSupport.model(standIn, contextTokens: 1234).capabilities().contextTokens == 1234)
        }
    }

    @Test func samplesNInOneRequestWithThePromptCostOnSampleZero() async throws {
        try await TestSupport.withStandIn { standIn async throws in
            let model = TestSupport.model(standIn)
            _ = try await model.capabilities()
            standIn.clearRequests()
            let samples = try await model.complete(Self.request(n: 3, seed: 10))
            #expect(samples.map(\.index) == [0, 1, 2])
            #expect(samples.map(\.text) == ["Stand-in answer 0 (seed 10).", "Stand-in answer 1 (seed 11).", "Stand-in answer 2 (seed 12).",])
            let requests = standIn.requests(to: chat)
            #expect(requests.count == 1)
            #expect(requests.first?.body?["n"] == 3)
            #expect(requests.first?.body?["seed"] == 10)

            #expect(samples[0].usage.promptTokens > 0)
            #expect(samples[0].usage.prefilledTokens > 0)
            #expect(samples[0].usage.seconds > 0)
            for sample in samples.dropFirst() {
                #expect(sample.usage.promptTokens == 0)
                #expect(sample.usage.prefilledTokens == 0)
                #expect(sample.usage.seconds == 0)
            }
            // The server reports sample 0's completion tokens; the others are counted exactly.
            let expected = StandInScript.pieces("Stand-in answer 1 (seed 11).").reduce(0) { $0 + StandInScript.tokenCount($1) }
            #expect(samples[1].usage.completionTokens > 0)
            #expect(samples[0].usage.completionTokens == expected)
            let total = samples.reduce(Usage()) { $0 + $1.usage }
            #expect(total.promptTokens == samples[0].usage.promptTokens)
        }
    }

    @Test func splitsNIntoBatchesOfAtMostTheSlots() async throws {
        try await TestSupport.withStandIn(script: StandInScript(slots: 2)) { standIn async throws in
            let model = TestSupport.model(standIn)
            _ = try await model.capabilities()
            standIn.clearRequests()
            let samples = try await model.complete(Self.request(n: 5, seed: 100))
            #expect(samples.map(\.index) == [0, 1, 2, 3, 4])
            #expect(samples.map(\.text) == (0..<5).map { "Stand-in answer \($0 % 2) (seed \(100 + $0))." })
            let batches = standIn.requests(to: chat).map { ($0.body?["n"]?.intValue ?? 1, $0.body?["seed"]?.intValue ?? -1) }
            #expect(batches.sorted { $0.1 < $1.1 }.map { [$0.0, $0.1] } == [[2, 100], [2, 102], [1, 104]])
        }
    }

    @Test func fallsBackToConcurrentSeededCallsWhenNIsIgnored() async throws {
        try await TestSupport.withStandIn(faults: [.ignoresN]) { standIn async throws in
            let model = TestSupport.model(standIn)
            #expect(try await model.capabilities().multipleSamples == false)
            standIn.clearRequests()
            let samples = try await model.complete(Self.request(n: 3, seed: 7))
            #expect(samples.map(\.text) == ["Stand-in answer 0 (seed 7).", "Stand-in answer 0 (seed 8).", "Stand-in answer 0 (seed 9)."])
            let requests = standIn.requests(to: chat)
            #expect(requests.count == 3)
            #expect(Set(requests.compactMap { $0.body?["seed"]?.intValue }) == [7, 8, 9])
            #expect(requests.allSatisfy { $0.body?["n"] == nil })
            // Each call paid for its own prompt.
            #expect(samples.allSatisfy { $0.usage.promptTokens > 0 })
        }
    }

    @Test func fillsInSamplesWhenTheServerStopsHonouringN() async throws {
        try await TestSupport.withStandIn { standIn async throws in
            let model = TestSupport.model(standIn)
            #expect(try await model.capabilities().multipleSamples)
            try await standIn.setFaults([.ignoresN])
            let samples = try await model.complete(Self.request(n: 3, seed: 20))
            #expect(samples.map(\.index) == [0, 1, 2])
            #expect(Set(samples.map(\.text)).count == 3)
            #expect(try await model.capabilities().multipleSamples == false)
        }
    }

    /// The same fallback serves fill-in-the-middle: one place for a server that ignores `n`.
    @Test func fillsInInfillSamplesWhenTheServerStopsHonouringN() async throws {
        try await TestSupport.withStandIn { standIn async throws in
            let model = TestSupport.model(standIn, timeouts: TestSupport.patient)
            #expect(try await model.capabilities().multipleSamples)
            try await standIn.setFaults([.ignoresN])
            standIn.clearRequests()
            let samples = try await model.infill(InfillRequest(
                prefix: "def f(x):\n    ", suffix: "\n", options: SamplingOptions(temperature: 0.7, seed: 40, maxTokens: 16), n: 3))
            #expect(samples.map(\.index) == [0, 1, 2])
            #expect(standIn.requests(to: "/infill").count == 3)
            #expect(try await model.capabilities().multipleSamples == false)
        }
    }

    @Test func dropsFailedSamplesAndKeepsTheRest() async throws {
        try await TestSupport.withStandIn(faults: [.ignoresN, .failSeeds([31])]) { standIn async throws in
            let samples = try await TestSupport.model(standIn).complete(Self.request(n: 3, seed: 30))
            #expect(samples.map(\.index) == [0, 2])
            #expect(samples.map(\.text) == ["Stand-in answer 0 (seed 30).", "Stand-in answer 0 (seed 32)."])
        }
    }

    @Test func throwsWhenEverySampleFails() async throws {
        try await TestSupport.withStandIn(faults: [.ignoresN, .failSeeds([50, 51])]) { standIn async throws in
            let error = await TestSupport.error { try await TestSupport.model(standIn).complete(Self.request(n: 2, seed: 50)) }
            #expect(error?.code == .serverError)
        }
    }

    @Test func answersByTheScriptedRules() async throws {
        let script = StandInScript(rules: [
            StandInRule(contains: "fibonacci", answer: "It computes Fibonacci numbers."),
            StandInRule(contains: "reviewer", in: .system, answer: "No findings."),
        ])
        try await TestSupport.withStandIn(script: script) { standIn async throws in
            let model = TestSupport.model(standIn)
            #expect(try await model.complete(Self.request()).first?.text == "It computes Fibonacci numbers.")
            let review = ChatRequest(
                messages: [.system("You are a reviewer."), .user("Review this.")],
                options: SamplingOptions(temperature: 0, maxTokens: 20)
            )
            #expect(try await model.complete(review).first?.text == "No findings.")
        }
    }

    @Test func honoursMaxTokensAndStop() async throws {
        let script = StandInScript(rules: [StandInRule(contains: "fibonacci", answer: "one two three four five six seven eight")])
        try await TestSupport.withStandIn(script: script) { standIn async throws in
            let model = TestSupport.model(standIn)
            var request = Self.request(stop: [" four"])
            let stopped = try await model.complete(request)
            #expect(stopped.first?.text == "one two three")
            #expect(stopped.first?.finishReason == "stop")
            request.options.stop = []
            request.options.maxTokens = 4
            let cut = try await model.complete(request)
            #expect(cut.first?.text == "one two three ")
            #expect(cut.first?.finishReason == "length")
        }
    }

    @Test func readsPrefilledAndCachedTokens() async throws {
        try await TestSupport.withStandIn { standIn async throws in
            let model = TestSupport.model(standIn)
            let first = try await model.complete(Self.request(n: 1))
            let second = try await model.complete(Self.request(n: 1))
            #expect(first[0].usage.promptTokens == second[0].usage.promptTokens)
            // The same prompt again: the stand-in, like llama.cpp, reports most of it as cached.
            #expect(second[0].usage.prefilledTokens < second[0].usage.promptTokens)
        }
    }

    @Test func streamsDeltasThenUsage() async throws {
        let script = StandInScript(rules: [StandInRule(contains: "fibonacci", answer: "Fibonacci adds the two previous numbers.")])
        try await TestSupport.withStandIn(script: script) { standIn async throws in
            var text = ""
            var deltas = 0
            var finished: StreamEvent?
            for try await event in TestSupport.model(standIn).stream(Self.request(n: 3)) {
                switch event {
                case .delta(let piece):
                    #expect(finished == nil)
                    text += piece
                    deltas += 1
                case .finished:
                    finished = event
                }
            }
            #expect(text == "Fibonacci adds the two previous numbers.")
            #expect(deltas > 1)
            guard case .finished(let reason, let usage) = finished else {
                Issue.record("no finished event")
                return
            }
            #expect(reason == "stop")
            #expect(usage.promptTokens > 0)
            #expect(usage.completionTokens > 0)
            let sent = try #require(standIn.requests(to: chat).last?.body)
            #expect(sent["stream"] == true)
            #expect(sent["n"] == nil)
        }
    }

    @Test func countsTokensWithTheServersTokenizer() async throws {
        try await TestSupport.withStandIn { standIn async throws in
            let model = TestSupport.model(standIn)
            let text = "def fibonacci(n):\n    return n"
            #expect(try await model.countTokens(text) == StandInScript.tokenCount(text))
            #expect(try await model.countTokens("") == 0)
            #expect(standIn.requests(to: "/tokenize").last?.body?["content"] == .string(text))
        }
    }

    @Test func withoutExtrasEstimatesTokensAndRefusesInfill() async throws {
        try await TestSupport.withStandIn(faults: [.noExtras]) { standIn async throws in
            let model = TestSupport.model(standIn)
            let capabilities = try await model.capabilities()
            #expect(capabilities.tokenize == false)
            #expect(capabilities.infill == false)
            #expect(capabilities.slots == 1)
            #expect(capabilities.contextTokens == OpenAICompatibleModel.unknownContextTokens)
            #expect(capabilities.model == "stand-in-model")  // from /v1/models
            // Plain OpenAI servers still do `n`.
            #expect(capabilities.multipleSamples)

            let code = String(repeating: "x", count: 100)
            #expect(try await model.countTokens(code) == 40)
            let error = await TestSupport.error {
                try await model.infill(InfillRequest(prefix: "a", suffix: "b", options: SamplingOptions(temperature: 0, maxTokens: 4)))
            }
            #expect(error?.code == .unsupported)
            let samples = try await model.complete(Self.request(n: 2))
            #expect(samples.count == 2)
            #expect(samples[0].usage.promptTokens > 0)
        }
    }

    @Test func theEstimateNeverUndercountsTypicalCode() {
        let code = """
            func fibonacci(_ n: Int) -> Int {
                n < 2 ? n : fibonacci(n - 1) + fibonacci(n - 2)
            }
            """
        // Code tokenizers average 3–4 bytes per token; 2.5 stays above them.
        #expect(OpenAICompatibleModel.estimateTokens(code) >= code.utf8.count / 3)
        #expect(OpenAICompatibleModel.estimateTokens("abcde") == 2)
        #expect(OpenAICompatibleModel.estimateTokens("abcdef") == 3)
    }

    /// The backend sends the hole with stop sequences and returns what the model wrote; the
    /// engine cleans it (`InfillCleanup`).
    @Test func infillSendsTheHoleAndReturnsWhatTheModelWrote() async throws {
        let script = StandInScript(rules: [StandInRule(contains: "fibonacci", in: .prefix, answer: "return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)")])
        try await TestSupport.withStandIn(script: script, faults: [.infillRunsPast]) { standIn async throws in
            let model = TestSupport.model(standIn, timeouts: TestSupport.patient)
            let request = InfillRequest(
                prefix: "def fibonacci(n):\n    ",
                suffix: "\n\nprint(fibonacci(10))\n",
                extraContext: [InfillFile(name: "helpers.py", text: "# math helpers")],
                options: SamplingOptions(temperature: 0.7, seed: 3, maxTokens: 200),
                n: 2
            )
            let samples = try await model.infill(request)
            #expect(samples.map(\.index) == [0, 1])
            #expect(samples.allSatisfy { $0.text.hasPrefix("return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)") })
            #expect(samples.allSatisfy { $0.text.count > "return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)".count })
            let sent = try #require(standIn.requests(to: "/infill").last?.body)
            #expect(sent["input_prefix"] == "def fibonacci(n):\n    ")
            #expect(sent["input_suffix"] == "\n\nprint(fibonacci(10))\n")
            #expect(sent["input_extra"] == [["filename": "helpers.py", "text": "# math helpers"]])
            #expect(sent["n_predict"] == 200)
            #expect(sent["seed"] == 3)
            #expect(sent["n"] == 2)
            #expect(sent["cache_prompt"] == true)
            #expect(sent["stop"] == ["\n```", "print(fibonacci(10))"])
            #expect(samples[0].usage.promptTokens > 0)
            #expect(samples[1].usage.promptTokens == 0)
            #expect(samples[1].usage.completionTokens > 0)
        }
    }
}
