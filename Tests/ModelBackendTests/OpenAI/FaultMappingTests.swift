import BackendStandIn
import Testing

@testable import ModelBackend

/// Every way a server fails becomes the right `ModelBackendError`, soon, with a message that
/// says what to do and never contains the API key.
@Suite(.timeLimit(.minutes(1))) struct FaultMappingTests {
    static let key = "sk-secret-0123456789"
    static let keyEnv = "SELFMOA_TEST_API_KEY"

    static func request() -> ChatRequest {
        ChatRequest(messages: [.user("Explain fibonacci.")], options: SamplingOptions(temperature: 0, seed: 1, maxTokens: 20))
    }

    enum Call { case complete, stream }

    /// The errors of `calls` against the stand-in with `faults`. With `probeFirst` the client
    /// learns the capabilities before the faults start, so the calls themselves meet them.
    static func errors(
        _ faults: [StandInFault],
        calls: [Call] = [.complete, .stream],
        probeFirst: Bool = true,
        timeouts: BackendConfiguration.Timeouts = TestSupport.quick,
        model name: String? = nil
    ) async throws -> (complete: ModelBackendError?, stream: ModelBackendError?) {
        try await TestSupport.withStandIn(faults: probeFirst ? [] : faults, requiredAPIKey: key) { standIn async throws in
            let model = TestSupport.model(standIn, apiKey: key, apiKeyEnv: keyEnv, model: name, timeouts: timeouts)
            if probeFirst {
                _ = try await model.capabilities()
                try await standIn.setFaults(faults)
            }
            var complete: ModelBackendError?
            if calls.contains(.complete) {
                complete = await TestSupport.error { try await model.complete(request()) }
            }
            var streamError: ModelBackendError?
            if calls.contains(.stream) {
                do {
                    for try await _ in model.stream(request()) {}
                    Issue.record("the stream ended without an error")
                } catch let error as ModelBackendError {
                    streamError = error
                } catch {
                    Issue.record("the stream threw \(type(of: error)), not a ModelBackendError: \(error)")
                }
            }
            for error in [complete, streamError].compactMap({ $0 }) {
                #expect(!error.message.contains(key), "the key leaked into: \(error.message)")
                #expect(!"\(error)".contains(key))
            }
            return (complete, streamError)
        }
    }

    @Test func nothingListening() async throws {
        let (complete, stream) = try await Self.errors([.down], probeFirst: false)
        #expect(complete?.code == .unreachable)
        #expect(stream?.code == .unreachable)
        #expect(complete?.message.contains("nothing answers at http://127.0.0.1:") == true)
        #expect(complete?.message.contains("is the server running? check backend.url") == true)
    }

    @Test func unauthorizedNamesTheVariableNotTheKey() async throws {
        let (complete, stream) = try await Self.errors([.unauthorized], probeFirst: false)
        #expect(complete?.code == .unauthorized)
        #expect(stream?.code == .unauthorized)
        #expect(complete?.message.contains(Self.keyEnv) == true)
        #expect(complete?.message.contains("HTTP 401") == true)
    }

    @Test func aMissingKeySaysToSetTheVariable() async throws {
        try await TestSupport.withStandIn(requiredAPIKey: Self.key) { standIn async throws in
            let model = TestSupport.model(standIn, apiKey: nil, apiKeyEnv: Self.keyEnv)
            let error = await TestSupport.error { try await model.complete(Self.request()) }
            #expect(error?.code == .unauthorized)
            #expect(error?.message.contains("\(Self.keyEnv) (backend.apiKeyEnv) is not set") == true)
            let unnamed = await TestSupport.error { try await TestSupport.model(standIn).complete(Self.request()) }
            #expect(unnamed?.message.contains("set backend.apiKeyEnv") == true)
        }
    }

    @Test func unknownModel() async throws {
        let (complete, stream) = try await Self.errors([.modelNotFound], model: "no-such-model")
        #expect(complete?.code == .modelNotFound)
        #expect(stream?.code == .modelNotFound)
        #expect(complete?.message.contains("no-such-model") == true)
    }

    @Test func serverError() async throws {
        let (complete, stream) = try await Self.errors([.serverError])
        #expect(complete?.code == .serverError)
        #expect(stream?.code == .serverError)
        #expect(complete?.message.contains("HTTP 500") == true)
    }

    @Test func contextOverflow() async throws {
        let (complete, stream) = try await Self.errors([.contextOverflow])
        #expect(complete?.code == .contextOverflow)
        #expect(stream?.code == .contextOverflow)
        #expect(complete?.message.contains("exceeds the available context size") == true)
    }

    @Test func aPromptLongerThanTheContextOverflowsToo() async throws {
        try await TestSupport.withStandIn(script: StandInScript(contextTokens: 50)) { standIn async throws in
            let long = ChatRequest(
                messages: [.user(String(repeating: "word ", count: 200))],
                options: SamplingOptions(temperature: 0, maxTokens: 10)
            )
            let error = await TestSupport.error { try await TestSupport.model(standIn).complete(long) }
            #expect(error?.code == .contextOverflow)
        }
    }

    @Test func slowFirstTokenTimesOut() async throws {
        // Room for the capability probe (a real chat call) on a loaded machine; still far below
        // the stand-in's 30 s delay.
        let timeouts = BackendConfiguration.Timeouts(connect: .seconds(5), firstToken: .seconds(6), total: .seconds(8))
        let started = ContinuousClock.now
        let (complete, stream) = try await Self.errors([.slowFirstToken(.seconds(30))], timeouts: timeouts)
        #expect(complete?.code == .timeout)
        #expect(stream?.code == .timeout)
        #expect(stream?.message.contains("no first token") == true)
        // Did not wait for the stand-in's 30 s.
        #expect(ContinuousClock.now - started < .seconds(25))
    }

    @Test func connectionDroppedMidAnswer() async throws {
        let (complete, stream) = try await Self.errors([.dropMidStream])
        #expect(complete?.code == .serverError)
        #expect(stream?.code == .serverError)
        #expect(stream?.message.contains("closed") == true)
    }

    @Test func garbageEvents() async throws {
        let (_, stream) = try await Self.errors([.garbageSSE], calls: [.stream])
        #expect(stream?.code == .badResponse)
        #expect(stream?.message.contains("not JSON") == true)
    }

    @Test func garbageJSON() async throws {
        let (complete, _) = try await Self.errors([.garbageJSON], calls: [.complete])
        #expect(complete?.code == .badResponse)
    }

    @Test func anEchoedKeyIsRedacted() async throws {
        // The stand-in's 404 quotes the requested model; name the model after the key.
        let (complete, stream) = try await Self.errors([.modelNotFound], model: Self.key)
        #expect(complete?.code == .modelNotFound)
        #expect(complete?.message.contains("[redacted]") == true)
        #expect(stream?.message.contains("[redacted]") == true)
    }

    @Test func anInvalidURL() async throws {
        let model = OpenAICompatibleModel(url: "ftp://example.invalid", timeouts: TestSupport.quick, logger: TestSupport.logger)
        let error = await TestSupport.error { try await model.complete(Self.request()) }
        #expect(error?.code == .invalidRequest)
        #expect(error?.message.contains("backend.url") == true)
    }

    @Test func recoversWhenTheServerComesBack() async throws {
        try await TestSupport.withStandIn(faults: [.down]) { standIn async throws in
            let model = TestSupport.model(standIn)
            let error = await TestSupport.error { try await model.capabilities() }
            #expect(error?.code == .unreachable)
            try await standIn.setFaults([])
            #expect(try await model.complete(Self.request()).count == 1)
        }
    }
}
