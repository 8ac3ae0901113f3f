import ModelBackend
import Testing
@testable import SelfMoA

/// Cancelling the calling task cancels every outstanding backend call and throws. A scripted
/// call that is not cancelled sleeps 10 s and then fails uncounted, so the cancellation counts
/// below fail when cancellation does not reach the backend calls (no timing is asserted).
@Suite struct CancellationTests {
    /// Runs `engine` on `task` in a child task, cancels it once `ready` holds, and returns how
    /// long it took to throw after cancelling, and what it threw.
    private func cancel(
        _ engine: SelfMoAEngine, when ready: @escaping @Sendable () -> Bool
    ) async throws -> (Duration, (any Error)?) {
        let run = Task { try await engine.run(Fixtures.task()) }
        #expect(await eventually(ready), "the run never reached the point to cancel at")
        let cancelled = ContinuousClock.now
        run.cancel()
        do {
            _ = try await run.value
            return (ContinuousClock.now - cancelled, nil)
        } catch {
            return (ContinuousClock.now - cancelled, error)
        }
    }

    @Test func cancelsConcurrentProposalCalls() async throws {
        let model = ScriptedModel(capabilities: Fixtures.capabilities(multipleSamples: false))
        model.onComplete { _, _ throws(ModelBackendError) in try await model.blockUntilCancelled() }
        let (_, error) = try await cancel(SelfMoAEngine(model: model, configuration: Fixtures.configuration())) {
            model.completeRequests.count == 6
        }
        #expect(error is CancellationError)
        #expect(model.observedCancellations == 6)
        #expect(model.streamRequests.isEmpty)
    }

    @Test func cancelsAnNSampleCall() async throws {
        let model = ScriptedModel()
        model.onComplete { _, _ throws(ModelBackendError) in try await model.blockUntilCancelled() }
        let (_, error) = try await cancel(SelfMoAEngine(model: model, configuration: Fixtures.configuration())) {
            model.completeRequests.count == 1
        }
        #expect(error is CancellationError)
        #expect(model.observedCancellations == 1)
    }

    @Test func cancelsTheAggregationStream() async throws {
        let model = ScriptedModel()
        model.onStream { _, _, yield throws(ModelBackendError) in
            yield(.delta("thinking"))
            try await model.blockUntilCancelled()
        }
        let (_, error) = try await cancel(SelfMoAEngine(model: model, configuration: Fixtures.configuration())) {
            model.streamRequests.count == 1
        }
        #expect(error is CancellationError)
        #expect(await eventually { model.observedCancellations == 1 })
        #expect(model.cancelledStreams == 1)
        #expect(model.streamRequests.count == 1, "a cancelled aggregation must not be retried")
    }

    @Test func cancelsSamplingAndAggregationTogetherInSeq() async throws {
        let model = ScriptedModel()
        model.onComplete { request, number throws(ModelBackendError) in
            if number >= 1 { try await model.blockUntilCancelled() }
            return ScriptedModel.samples(request.n, options: request.options)
        }
        model.onStream { _, _, _ throws(ModelBackendError) in try await model.blockUntilCancelled() }
        let engine = SelfMoAEngine(model: model, configuration: Fixtures.configuration(proposals: 12, mode: .seq))
        let (_, error) = try await cancel(engine) {
            model.completeRequests.count == 2 && model.streamRequests.count == 1
        }
        #expect(error is CancellationError)
        #expect(await eventually { model.observedCancellations == 2 })
        #expect(model.completeRequests.count == 2, "no round may start after cancellation")
    }

    @Test func throwsBeforeAnyCallWhenAlreadyCancelled() async throws {
        let model = ScriptedModel()
        let run = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await SelfMoAEngine(model: model, configuration: Fixtures.configuration()).run(Fixtures.task())
        }
        await #expect(throws: CancellationError.self) { _ = try await run.value }
        #expect(model.calls.isEmpty)
    }
}
