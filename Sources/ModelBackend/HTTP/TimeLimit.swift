import NIOConcurrencyHelpers

/// Runs `operation`, cancelling it and throwing `timeout()` when `limit` passes first.
///
/// Cancelling the operation's task is what closes its HTTP connection, so a timed-out request
/// frees its server slot.
func withTimeLimit<T: Sendable>(
    _ limit: Duration,
    timeout: @escaping @Sendable () -> ModelBackendError,
    operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw timeout()
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// A flag set once, readable from any task: "the first token arrived".
final class OnceFlag: Sendable {
    private let box = NIOLockedValueBox(false)
    func set() { box.withLockedValue { $0 = true } }
    var isSet: Bool { box.withLockedValue { $0 } }
}

/// Runs `operation` under two limits: `firstToken` until `flag` is set, and `total` overall.
func withStreamLimits<T: Sendable>(
    firstToken: Duration,
    total: Duration,
    flag: OnceFlag,
    firstTokenTimeout: @escaping @Sendable () -> ModelBackendError,
    totalTimeout: @escaping @Sendable () -> ModelBackendError,
    operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            let clock = ContinuousClock()
            let start = clock.now
            if firstToken < total {
                try await Task.sleep(for: firstToken)
                if !flag.isSet { throw firstTokenTimeout() }
            }
            try await Task.sleep(until: start + total, clock: clock)
            throw flag.isSet ? totalTimeout() : firstTokenTimeout()
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// Awaits `task`'s value, but throws `CancellationError` as soon as the *calling* task is
/// cancelled, leaving `task` running for its other waiters.
func cancellableValue<T: Sendable>(of task: Task<T, any Error>) async throws -> T {
    let slot = NIOLockedValueBox<CheckedContinuation<T, any Error>?>(nil)
    let take: @Sendable () -> CheckedContinuation<T, any Error>? = {
        slot.withLockedValue { continuation in
            defer { continuation = nil }
            return continuation
        }
    }
    return try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            slot.withLockedValue { $0 = continuation }
            Task {
                let result = await task.result
                take()?.resume(with: result)
            }
            if Task.isCancelled { take()?.resume(throwing: CancellationError()) }
        }
    } onCancel: {
        take()?.resume(throwing: CancellationError())
    }
}
