import SelfMoA
import Tools

extension Assistant {
    /// Why no candidate's code may go in (`unparsable`): the refusal the user reads, and the
    /// checker's own words for the model (`correctedByModel`).
    struct Unparsable: Sendable {
        /// The message shown to the user when nothing is inserted.
        var refusal: String
        /// What is wrong with the code, as the checker says it, without the file and position.
        var problem: String
        /// C, C++: the code parses, and only names and types in it are wrong (no candidate's
        /// code compiles): it is inserted with `note` rather than refused.
        var parses = false

        /// Said with code that parses but does not compile.
        var note: String { "no candidate's code compiles here (\(problem)); it parses, so it was inserted: check the names and types it uses" }
    }

    /// What the model's correction gave: code that parses in the file (`nil` when it gave
    /// none), the note for the cost report, and its run, which counts either way.
    struct ModelCorrection: Sendable {
        var code: String?
        var run: SelfMoAResult
        var note: String
        /// The `#include` lines the compiler said the corrected code needs.
        var includes: ImportInsertion? = nil
    }

    /// Tokens a correction may write beyond the action's longest answer.
    static let correctionRoom = 128

    /// The progress step of a correction.
    static let correctionLabel = "correction from the checker's message"

    /// complete (`correctUnparsed`): the chosen code that no candidate got to parse, shown back to
    /// the model with the checker's message and asked for once more, greedily, by chat — the
    /// way a programmer reads a compiler error and fixes the code. The answer is cleaned as any
    /// answer, then kept only when its code parses in the file (the compiler's own corrections
    /// applied first in C and C++); otherwise its code is `nil`, the refusal stands, and the
    /// note says what the correction did.
    func correctedByModel(
        _ code: String, unparsable: Unparsable, kind: ActionKindName, input: ActionInput,
        insertion: ContextExtractor.Insertion, onProgress: @escaping @Sendable (SelfMoAProgress) -> Void
    ) async throws -> ModelCorrection {
        let action = settings.configuration(for: kind)
        var configuration = action.engine
        configuration.mode = .single
        configuration.proposals = 1
        configuration.greedyProposal = true
        configuration.escalate = false
        // It writes the code again, corrected: the room of the longest answer, and some more.
        let cap = max(configuration.proposalMaxTokens, configuration.answerMaxTokens) + Self.correctionRoom
        configuration.proposalMaxTokens = cap
        configuration.answerMaxTokens = cap
        let context = insertion.context
        let task = SelfMoATask(
            system: CompletePrompt.system,
            instruction: CompletePrompt.correct(
                code, problem: unparsable.problem, marker: context.cursorMarker, language: context.language),
            context: context,
            answerFormat: CompletePrompt.insertAnswerFormat(marker: context.cursorMarker)
        )
        // One request after the run: shown as a step of its own, the bar where the run left it.
        onProgress(SelfMoAProgress(event: .checked(label: Self.correctionLabel, completed: 0, total: 1), fraction: 1))
        let run = try await SelfMoAEngine(model: model, configuration: configuration, checker: nil).run(task)
        onProgress(SelfMoAProgress(event: .checked(label: Self.correctionLabel, completed: 1, total: 1), fraction: 1))
        let failed = { (why: String) in ModelCorrection(code: nil, run: run, note: "the model's correction from the checker's message \(why)") }
        // Cut at its cap: in a brace language, up to its last complete statement (as any answer);
        // elsewhere its last line may be unfinished, and it is not offered.
        let brackets = BraceBlock.applies(to: input.language)
        if run.answerCut, !brackets { return failed("stopped at its token cap") }
        var corrected = CodeCleanup.code(from: run.text, for: insertion, cut: run.answerCut)
        if !run.answerCut { corrected = BraceCleanup.closingOpenBlocks(corrected, language: input.language) }
        guard !corrected.isBlank else { return failed(run.answerCut ? "stopped at its token cap" : "held no code") }
        guard corrected != code else { return failed("repeated the code") }
        let placer = CompleteChecker(input: input, insertion: insertion, syntax: nil, sandbox: nil)
        if brackets, BraceBlock.unbalances(input.text, into: placer.placed(corrected)) {
            return failed("does not balance its brackets")
        }
        let note = "no candidate's code \(unparsable.parses ? "compiled" : "parsed") (\(unparsable.problem)); the model corrected it from that message"
            + (run.answerCut ? ", and " + CompleteResult.cutBackNote : "")
        switch await syntaxChecker.check(placer.placed(corrected), language: input.language, file: input.path) {
        case .valid:
            return ModelCorrection(code: corrected, run: run, note: note)
        case .unavailable(let why):
            return failed("could not be checked: \(why)")
        case .invalid(let message), .unresolved(let message, _):
            guard CompilerCorrections.languages.contains(input.language),
                let fixed = await CompilerCorrections.of(
                    corrected, language: input.language, path: input.path, checker: syntaxChecker,
                    start: min(insertion.replace.lowerBound, input.text.utf8.count), includes: action.addImports,
                    place: placer.placed)
            else { return failed("does not parse either (\(Self.withoutPosition(message)))") }
            return ModelCorrection(code: fixed.code, run: run, note: note + "; " + fixed.note, includes: fixed.includes)
        }
    }
}
