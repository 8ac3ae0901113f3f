import Synchronization

/// Remembers when a run first handed text (draft or answer) to its answer callback: the user's
/// wait for something to read, reported as `SelfMoACost.firstTextSeconds`.
final class FirstTextClock: Sendable {
    private let first = Mutex<ContinuousClock.Instant?>(nil)

    /// Records the time of `event` if it is the first one carrying text.
    func note(_ event: AnswerEvent) {
        switch event {
        case .delta(let text), .draft(let text):
            guard !text.isEmpty else { return }
            let now = ContinuousClock.now
            first.withLock { if $0 == nil { $0 = now } }
        case .reset:
            break
        }
    }

    /// Seconds from `start` to the first text, or `nil` when there was none.
    func seconds(since start: ContinuousClock.Instant) -> Double? {
        first.withLock { $0 }.map { ($0 - start).seconds }
    }
}
