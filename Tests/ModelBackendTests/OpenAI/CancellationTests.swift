import BackendStandIn
import Testing

@testable import ModelBackend

/// Cancelling the calling task closes the HTTP connection, so the server frees its slot.
@Suite(.timeLimit(.minutes(1))) struct CancellationTests {
    static let long = StandInScript(
        defaultAnswer: String(repeating: "token ", count: 400),
        tokenDelay: .milliseconds(50)
    )

    static let request = ChatRequest(
        messages: [.user("Write a lot.")],
        options: SamplingOptions(temperature: 0.7, seed: 1, maxTokens: 1000)
    )

    @Test func cancellingTheConsumerClosesTheStream() async throws {
        try await TestSupport.withStandIn(script: Self.long) { standIn async throws in
            let model = TestSupport.model(standIn, timeouts: .init(connect: .seconds(2), firstToken: .seconds(10), total: .seconds(60)))
            _ = try await model.capabilities()
            let firstDelta = AsyncStream<Void>.makeStream()
            let consumer = Task {
                var deltas = 0
                for try await event in model.stream(Self.request) {
                    if case .delta = event {
                        deltas += 1
                        if deltas == 1 { firstDelta.continuation.yield() }
                    }
                }
                return deltas
            }
            for await _ in firstDelta.stream { break }
            consumer.cancel()
            let deltas = try? await consumer.value
            // 400 pieces at 50 ms would take 20 s; the stream stopped long before.
            #expect((deltas ?? 0) < 400)
            let closed = await TestSupport.eventually(within: .seconds(5)) {
                standIn.requests(to: "/v1/chat/completions").last?.abandoned == true
            }
            #expect(closed, "the stand-in did not see the connection close")
            #expect(standIn.requests(to: "/v1/chat/completions").last?.completed == false)
        }
    }

    @Test func droppingTheStreamClosesItToo() async throws {
        try await TestSupport.withStandIn(script: Self.long) { standIn async throws in
            let model = TestSupport.model(standIn, timeouts: .init(connect: .seconds(2), firstToken: .seconds(10), total: .seconds(60)))
            do {
                var iterator = model.stream(Self.request).makeAsyncIterator()
                _ = try await iterator.next()
                _ = try await iterator.next()
            }
            let closed = await TestSupport.eventually(within: .seconds(5)) {
                standIn.requests(to: "/v1/chat/completions").last?.abandoned == true
            }
            #expect(closed)
        }
    }

    @Test func cancellingACompletionClosesTheConnection() async throws {
        try await TestSupport.withStandIn { standIn async throws in
            let model = TestSupport.model(standIn, timeouts: .init(connect: .seconds(2), firstToken: .seconds(10), total: .seconds(60)))
            _ = try await model.capabilities()
            try await standIn.setFaults([.slowFirstToken(.seconds(30))])
            standIn.clearRequests()
            let call = Task { try await model.complete(Self.request) }
            let arrived = await TestSupport.eventually(within: .seconds(5)) { !standIn.requests.isEmpty }
            #expect(arrived)
            let started = ContinuousClock.now
            call.cancel()
            let result = await call.result
            #expect(ContinuousClock.now - started < .seconds(10))
            guard case .failure(let error) = result else {
                Issue.record("the cancelled call returned \(result)")
                return
            }
            #expect((error as? ModelBackendError)?.code == .cancelled)
            let closed = await TestSupport.eventually(within: .seconds(5)) {
                standIn.requests.last?.abandoned == true
            }
            #expect(closed, "the stand-in did not see the connection close")
        }
    }
}
