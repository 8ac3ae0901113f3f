import ModelBackend
import SelfMoA
import Synchronization

/// The text a prose action (explain, ask) has so far, for showing while it works: first the
/// draft (proposal 0 as it is sampled), then the answer as it is written, which replaces it.
/// The Markdown is cleaned as the final answer is.
public struct PartialAnswer: Sendable, Hashable {
    /// Which text is on screen.
    public enum Phase: String, Sendable, Hashable, Codable {
        /// One sample, shown while the others are sampled and synthesised.
        case draft
        /// The answer (the synthesis, or a single sample), as it is written.
        case answer
    }

    public var phase: Phase
    public var markdown: String

    public init(phase: Phase, markdown: String) {
        self.phase = phase
        self.markdown = markdown
    }
}

/// Folds a run's `AnswerEvent`s into `PartialAnswer`s: draft text until the answer's first
/// text, then the answer (restarted on `reset`). Thread-safe; events arrive from the engine's
/// tasks in order.
final class PartialAnswerFolder: Sendable {
    private struct State {
        var phase = PartialAnswer.Phase.draft
        var text = ""
    }

    private let state = Mutex(State())
    private let clean: @Sendable (String) -> String

    /// - Parameter clean: turns the raw text so far into the Markdown to show.
    init(clean: @escaping @Sendable (String) -> String) {
        self.clean = clean
    }

    /// The partial answer after `event`, or `nil` when there is nothing new to show.
    func fold(_ event: AnswerEvent) -> PartialAnswer? {
        let current: (PartialAnswer.Phase, String)? = state.withLock { state in
            switch event {
            case .draft(let text):
                guard state.phase == .draft, !text.isEmpty else { return nil }
                state.text += text
            case .delta(let text):
                if state.phase == .draft {
                    state.phase = .answer
                    state.text = ""
                }
                guard !text.isEmpty else { return nil }
                state.text += text
            case .reset:
                if state.phase == .answer { state.text = "" }
                return nil
            }
            return (state.phase, state.text)
        }
        guard let (phase, text) = current else { return nil }
        return PartialAnswer(phase: phase, markdown: clean(text))
    }

    /// A callback for the engine that hands each new partial answer to `onPartial`.
    static func callback(
        clean: @escaping @Sendable (String) -> String, onPartial: @escaping @Sendable (PartialAnswer) -> Void,
        onAnswer: @escaping @Sendable (AnswerEvent) -> Void
    ) -> @Sendable (AnswerEvent) -> Void {
        let folder = PartialAnswerFolder(clean: clean)
        return { event in
            onAnswer(event)
            if let partial = folder.fold(event) { onPartial(partial) }
        }
    }
}
