import ModelBackend
import SelfMoA
import Foundation
import Testing
@testable import Assistant

/// Folding a run's answer events into what the editor shows.
@Suite struct PartialAnswerTests {
    @Test func theDraftGrowsUntilTheAnswerReplacesIt() {
        let folder = PartialAnswerFolder(clean: { $0.trimmingCharacters(in: .whitespaces) })
        #expect(folder.fold(.draft("One ")) == PartialAnswer(phase: .draft, markdown: "One"))
        #expect(folder.fold(.draft("two")) == PartialAnswer(phase: .draft, markdown: "One two"))
        #expect(folder.fold(.delta("Three")) == PartialAnswer(phase: .answer, markdown: "Three"))
        // A late draft never brings the draft back.
        #expect(folder.fold(.draft("late")) == nil)
        #expect(folder.fold(.delta(" four")) == PartialAnswer(phase: .answer, markdown: "Three four"))
        // A reset starts the answer over; the next text shows only what follows it.
        #expect(folder.fold(.reset) == nil)
        #expect(folder.fold(.delta("Five")) == PartialAnswer(phase: .answer, markdown: "Five"))
        #expect(folder.fold(.delta("")) == nil)
    }

    @Test func aRunWithoutADraftStartsWithTheAnswer() {
        let folder = PartialAnswerFolder(clean: { $0 })
        #expect(folder.fold(.reset) == nil)
        #expect(folder.fold(.delta("Answer")) == PartialAnswer(phase: .answer, markdown: "Answer"))
    }

    @Test func theTextIsCleanedAsTheFinalAnswerIs() {
        let folder = PartialAnswerFolder(clean: ExplainAction.markdown)
        _ = folder.fold(.delta("```markdown\n`f` adds.\n"))
        #expect(folder.fold(.delta("```")) == PartialAnswer(phase: .answer, markdown: "`f` adds."))
    }
}

/// Collects partial answers in order.
final class PartialLog: @unchecked Sendable {
    private let lock = NSLock()
    private var _partials: [PartialAnswer] = []
    var partials: [PartialAnswer] { lock.withLock { _partials } }
    var onPartial: @Sendable (PartialAnswer) -> Void {
        { partial in self.lock.withLock { self._partials.append(partial) } }
    }
}
