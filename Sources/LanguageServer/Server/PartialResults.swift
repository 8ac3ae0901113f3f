import Assistant
import JSON
import JSONRPC
import SelfMoA
import Synchronization

/// Streams one prose action's text to the client as `selfmoa/result` notifications with
/// `"partial": true`: the draft (`"phase": "draft"`), then the answer as it is written
/// (`"phase": "answer"`), each carrying the whole text so far and a `label` saying which it is.
///
/// At most one notification per `interval` (the newest text wins; the last one is always sent,
/// a phase change at once), so a fast backend does not flood the editor. `close()` stops the
/// stream before the final result goes out, so no partial one can follow it.
final class PartialResults: Sendable {
    private struct State {
        var pending: PartialAnswer?
        var lastPhase: PartialAnswer.Phase?
        var scheduled = false
        var closed = false
        var mode: SelfMoAMode?
        var samples = 0
    }

    private let state = Mutex(State())
    private let connection: Connection
    private let fields: [String: JSONValue]
    private let interval: Duration

    /// - Parameter fields: `kind`, `uri`, `range` (and `question` for ask) of every notification.
    init(connection: Connection, fields: [String: JSONValue], interval: Duration = .milliseconds(60)) {
        self.connection = connection
        self.fields = fields
        self.interval = interval
    }

    /// Takes the run's plan from its progress, for the labels.
    func observe(_ progress: SelfMoAProgress) {
        if case .planned(let mode, let proposals, _) = progress.event {
            state.withLock {
                $0.mode = mode
                $0.samples = proposals
            }
        }
    }

    /// Queues `partial`; sends it now when it starts a phase, else within `interval`.
    func send(_ partial: PartialAnswer) {
        enum Next { case sendNow, schedule, wait }
        let next = state.withLock { state -> Next in
            guard !state.closed else { return .wait }
            state.pending = partial
            if state.lastPhase != partial.phase { return .sendNow }
            if state.scheduled { return .wait }
            state.scheduled = true
            return .schedule
        }
        switch next {
        case .sendNow:
            flush()
        case .schedule:
            let interval = interval
            Task { [self] in
                try? await Task.sleep(for: interval)
                flush()
            }
        case .wait:
            break
        }
    }

    /// Stops the stream: nothing is sent after this returns.
    func close() {
        state.withLock { $0.closed = true }
    }

    /// The label of a phase: "draft · 1 of 4 samples", "Self-MoA · 4 samples", "Self-MoA-Seq · 12
    /// samples", "single sample".
    static func label(_ phase: PartialAnswer.Phase, mode: SelfMoAMode?, samples: Int) -> String {
        if mode == .single || samples <= 1 { return "single sample" }
        let noun = "\(samples) samples"
        switch phase {
        case .draft: return "draft · 1 of \(noun)"
        case .answer: return "\(mode == .seq ? "Self-MoA-Seq" : "Self-MoA") · \(noun)"
        }
    }

    private func flush() {
        // Sent under the lock, so `close()` cannot slip between the check and the send.
        state.withLock { state in
            state.scheduled = false
            guard !state.closed, let partial = state.pending else { return }
            state.pending = nil
            state.lastPhase = partial.phase
            var params = fields
            params["partial"] = true
            params["phase"] = .string(partial.phase.rawValue)
            params["label"] = .string(Self.label(partial.phase, mode: state.mode, samples: state.samples))
            params["markdown"] = .string(partial.markdown)
            connection.sendNotification("selfmoa/result", .object(params))
        }
    }
}
