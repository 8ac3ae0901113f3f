/// What the backend tells the caller while a request waits, without a parameter on every call:
/// a task-local callback the caller sets around an action (child tasks inherit it).
///
/// `onWaiting` hears, once per request, that the model server has every slot busy (llama.cpp's
/// `/slots`), so the request is queued behind other work: "waiting for the model server (all 6
/// slots busy)". Such time does not count against the first-token timeout; the total timeout
/// still bounds the request.
public enum BackendActivity {
    @TaskLocal public static var onWaiting: (@Sendable (String) -> Void)?
}

extension BackendActivity {
    /// Runs `body` with `onWaiting` set to `report`.
    ///
    /// The value is bound from a local of this frame: handing `withValue` a closure literal in
    /// an optimised generic caller crashed in the task allocator (`swift_task_localValuePush`)
    /// with this toolchain.
    public static func reporting<T: Sendable>(
        to report: @escaping @Sendable (String) -> Void, isolation: isolated (any Actor)? = #isolation,
        _ body: () async throws -> T
    ) async rethrows -> T {
        let listener: (@Sendable (String) -> Void)? = report
        return try await $onWaiting.withValue(listener, operation: body, isolation: isolation)
    }
}
