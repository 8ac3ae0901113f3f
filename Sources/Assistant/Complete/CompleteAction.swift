import ModelBackend
import SelfMoA
/// Complete: the task for the engine (infill proposals at a cursor where the backend has them,
/// or the whole function by chat where asked for), and the code from its answer.
enum CompleteAction {
    /// - Parameters:
    ///   - infill: ask for proposals by fill-in-the-middle where the backend has it.
    ///   - wholeFunction: at the start of an empty Python function body, ask for the whole
    ///     function by chat instead (`wholeFunction(_:kind:enabled:)`).
    static func task(
        _ insertion: ContextExtractor.Insertion, kind: ActionKindName, infill: Bool = true, wholeFunction: Bool = false
    ) -> SelfMoATask {
        let marker = insertion.context.cursorMarker
        if let name = Self.wholeFunction(insertion, kind: kind, enabled: wholeFunction) {
            // No cursor marker: the function's name says where the code goes. The cursor's line
            // stays the focus a trimmed file is shown around.
            var context = insertion.context
            context.selection = context.focus
            context.cursor = nil
            return SelfMoATask(
                system: CompletePrompt.assistant, instruction: CompletePrompt.wholeFunction(name, language: context.language),
                context: context, answerFormat: CompletePrompt.wholeFunctionAnswerFormat(name),
                proposalSource: .chat, instructionFirst: true
            )
        }
        if let lines = insertion.replacedLines {
            let label = linesLabel(lines)
            return SelfMoATask(
                system: CompletePrompt.system, instruction: CompletePrompt.replace(lines: label),
                context: insertion.context, answerFormat: CompletePrompt.replaceAnswerFormat(lines: label)
            )
        }
        return SelfMoATask(
            system: CompletePrompt.system,
            instruction: kind == .completion
                ? CompletePrompt.continuation(marker: marker) : CompletePrompt.insert(marker: marker),
            context: insertion.context,
            answerFormat: CompletePrompt.insertAnswerFormat(marker: marker),
            proposalSource: infill ? .infillWhenAvailable : .chat
        )
    }

    /// The function asked for whole: `complete` (not typing-time completion) with the setting on,
    /// at the start of an empty body of a top-level Python function — where it measured better
    /// (HumanEval, bench/RESULTS.md §5.1c). A method or nested function is filled at the cursor:
    /// asked for whole, the small model restated its class or the whole file, ran past its cap,
    /// or left the body empty (the standard library's methods, §5.12).
    static func wholeFunction(_ insertion: ContextExtractor.Insertion, kind: ActionKindName, enabled: Bool) -> Substring? {
        guard enabled, kind == .complete, let name = RestatedFunction.emptyBody(insertion),
            let header = insertion.linesBefore.last(where: { RestatedFunction.defines($0, name) }),
            Indentation.width(of: header) == 0
        else { return nil }
        return name
    }

    /// Tokens the whole function's answer spends restating what the file already has (its header
    /// and docstring, estimated at 3 bytes a token), added to the caps so the body keeps its room.
    static func restatedTokens(_ insertion: ContextExtractor.Insertion) -> Int {
        guard let index = insertion.linesBefore.lastIndex(where: { $0.trimmed.hasPrefix("def ") || $0.trimmed.hasPrefix("async def ") })
        else { return 0 }
        let bytes = insertion.linesBefore[index...].reduce(0) { $0 + $1.utf8.count + 1 }
        return (bytes + 2) / 3
    }

    /// Why the whole function's answer (`result`, asked for `function`) gives nothing for the
    /// body, so that the body is asked for at the cursor instead; `nil` when it stands. It gives
    /// nothing when nothing of it was to be inserted, or when it stopped at its token cap before
    /// it ever wrote the function's `def`: it was restating the file above the function, and
    /// what of that parses would go into the body.
    static func strayed(_ result: CompleteResult, function name: Substring) -> String? {
        if result.code.isBlank { return "gave nothing to insert" }
        if result.run.answerCut, !result.run.text.splitLines.contains(where: { RestatedFunction.defines($0, name) }) {
            return "stopped at its token cap before it wrote `def \(name)`"
        }
        return nil
    }
}
