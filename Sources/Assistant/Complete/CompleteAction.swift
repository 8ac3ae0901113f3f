/// Complete: the task for the engine (infill proposals at a cursor where the backend has them),
/// and the code from its answer.
enum CompleteAction {
    /// - Parameter infill: ask for proposals by fill-in-the-middle where the backend has it.
    static func task(_ insertion: ContextExtractor.Insertion, kind: ActionKindName, infill: Bool = true) -> SelfMoATask {
        let marker = insertion.context.cursorMarker
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
}
