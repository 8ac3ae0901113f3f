import ModelBackend
import Foundation
import SelfMoA

/// Collects progress and answer events in the order they arrive.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var _progress: [SelfMoAProgress] = []
    private var _answer: [AnswerEvent] = []

    var progress: [SelfMoAProgress] { lock.lock(); defer { lock.unlock() }; return _progress }
    var answer: [AnswerEvent] { lock.lock(); defer { lock.unlock() }; return _answer }

    var onProgress: @Sendable (SelfMoAProgress) -> Void {
        { event in self.lock.lock(); self._progress.append(event); self.lock.unlock() }
    }
    var onAnswer: @Sendable (AnswerEvent) -> Void {
        { event in self.lock.lock(); self._answer.append(event); self.lock.unlock() }
    }

    /// The draft's text: every draft event in order.
    var draft: String {
        answer.reduce(into: "") { text, event in if case .draft(let delta) = event { text += delta } }
    }

    /// The answer text as a client assembles it: deltas since the last reset.
    var assembledAnswer: String {
        var text = ""
        for event in answer {
            switch event {
            case .delta(let delta): text += delta
            case .reset: text = ""
            case .draft: break
            }
        }
        return text
    }
}

enum Fixtures {
    static let system = "You are a careful senior engineer."

    /// A small Swift file with imports, and a selection in the middle.
    static func context(lines count: Int = 40, selection: Range<Int> = 20..<23) -> CodeContext {
        var lines = ["import Foundation", "import Logging", ""]
        for index in lines.count..<count {
            lines.append("let value\(index) = compute(\(index))")
        }
        return CodeContext(
            fileName: "Sources/App/Values.swift", language: "swift", lines: lines, selection: selection, header: 0..<2
        )
    }

    static func task(context: CodeContext? = Fixtures.context(), answerFormat: String? = nil) -> SelfMoATask {
        SelfMoATask(
            system: system, instruction: "Explain what the selected code does.", context: context,
            answerFormat: answerFormat
        )
    }

    static func configuration(
        proposals: Int = 6, mode: SelfMoAMode = .auto, seed: UInt32? = 1000, window: Int? = nil, reserved: Int? = nil
    ) -> SelfMoAConfiguration {
        SelfMoAConfiguration(
            proposals: proposals, seed: seed, proposalMaxTokens: 100, answerMaxTokens: 150, mode: mode,
            seq: SeqConfiguration(window: window, reserved: reserved)
        )
    }

    static func capabilities(
        contextTokens: Int = 1_000_000, multipleSamples: Bool = true, infill: Bool = false
    ) -> ModelCapabilities {
        ModelCapabilities(
            contextTokens: contextTokens, slots: 6, multipleSamples: multipleSamples, tokenize: true, infill: infill,
            model: "scripted"
        )
    }
}

/// Polls `condition` until it holds or `timeout` passes; returns whether it held.
func eventually(timeout: Duration = .seconds(5), _ condition: @Sendable () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try? await Task.sleep(for: .milliseconds(2))
    }
    return condition()
}

/// The candidate texts of an aggregation prompt, in order, parsed from `<candidate N>` tags;
/// fails the parse (returns nil) when numbering is not 1, 2, 3, … or a tag is unclosed.
func candidates(in text: String) -> [String]? {
    var result: [String] = []
    var rest = Substring(text)
    while let open = rest.range(of: "<candidate \(result.count + 1)>\n") {
        let close = "\n</candidate \(result.count + 1)>"
        guard let end = rest[open.upperBound...].range(of: close) else { return nil }
        result.append(String(rest[open.upperBound..<end.lowerBound]))
        rest = rest[end.upperBound...]
    }
    // A numbered tag left over means numbering skipped or repeated.
    if (0...9).contains(where: { rest.contains("<candidate \($0)") }) { return nil }
    return result
}

/// The aggregator's candidates of a recorded stream request, whichever layout it uses.
func candidates(of request: ChatRequest) -> [String] {
    candidates(in: request.messages.map(\.content).joined(separator: "\n")) ?? []
}
