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
///
/// While no token has come, `busy` is asked every `poll` whether the server has every slot
/// busy; time it is busy does not count towards `firstToken` (the request is queued, not
/// stuck), and `waiting` hears of it once. `busy` answers `false` where the server cannot say.
func withStreamLimits<T: Sendable>(
    firstToken: Duration,
    total: Duration,
    flag: OnceFlag,
    poll: Duration = .seconds(2),
    busy: @escaping @Sendable () async -> Bool = { false },
    waiting: (@Sendable () -> Void)? = nil,
    firstTokenTimeout: @escaping @Sendable () -> ModelBackendError,
    totalTimeout: @escaping @Sendable () -> ModelBackendError,
    operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            let clock = ContinuousClock()
            let start = clock.now
            let end = start + total
            // The first-token clock starts here, and again whenever the server was seen busy.
            var counted = start
            var told = false
            while true {
                let wake = min(clock.now + poll, counted + firstToken, end)
                try await Task.sleep(until: wake, clock: clock)
                if flag.isSet {
                    try await Task.sleep(until: end, clock: clock)
                    throw totalTimeout()
                }
                if clock.now >= end { throw firstTokenTimeout() }
                if await busy() {
                    counted = clock.now
                    if !told {
                        told = true
                        waiting?()
                    }
                    continue
                }
                if clock.now - counted >= firstToken { throw firstTokenTimeout() }
            }
        }
        defer { group.cancelAll() }
        return try await group.next()!
    }
}

/// Runs `operation` while telling `waiting` once if `busy` says, `after` in and every `poll`
/// after that, that the server has every slot busy.
func reportingQueue<T: Sendable>(
    after: Duration = .seconds(2),
    poll: Duration = .seconds(5),
    busy: @escaping @Sendable () async -> Bool,
    waiting: (@Sendable () -> Void)?,
    operation: @escaping @Sendable () async throws -> T
) async throws -> T {
    guard let waiting else { return try await operation() }
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: after)
            while !Task.isCancelled {
                if await busy() {
                    waiting()
                    return nil
                }
                try await Task.sleep(for: poll)
            }
            return nil
        }
        defer { group.cancelAll() }
        while let next = try await group.next() {
            if let value = next { return value }
        }
        throw CancellationError()
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
