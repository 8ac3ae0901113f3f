import ModelBackend
import SelfMoA
import Tools
/// Runs the actions — explain, ask, review, complete — as Self-MoA runs over one model.
///
/// A value: create one with the current settings and call it from any task. Each call builds
/// the action's task from the input (`ContextExtractor`), runs `SelfMoAEngine` under the
/// action's configuration, and interprets the synthesis. Cancelling the calling task cancels
/// the run (`CancellationError`). Errors are the engine's: `SelfMoAError` (invalid settings,
/// context too large) and `ModelBackendError`.
///
/// `onProgress` and `onAnswer` are the engine's callbacks, passed through: `onAnswer` streams
/// the raw final answer as the model writes it (before findings are parsed or code cleaned).
/// The prose actions (explain, ask) stream a draft first (`streamDraft`) and also report the
/// cleaned Markdown so far to `onPartial`: the draft, then the answer replacing it.
public struct Assistant: Sendable {
    public let model: any LanguageModel
    public let settings: AssistantSettings
    /// Parses complete's candidates when `checkSyntax` is on.
    public let syntaxChecker: any SyntaxChecker
    /// Runs the user's doctest examples against complete's candidates when `runExamples` is on.
    public let sandbox: DoctestSandbox
    /// Finds the imports complete's code needs when `addImports` is on.
    public let imports: MissingImports

    public init(
        model: any LanguageModel, settings: AssistantSettings = AssistantSettings(),
        syntaxChecker: any SyntaxChecker = ToolchainSyntaxChecker(), sandbox: DoctestSandbox = DoctestSandbox(),
        imports: MissingImports = MissingImports()
    ) {
        self.model = model
        self.settings = settings
        self.syntaxChecker = syntaxChecker
        self.sandbox = sandbox
        self.imports = imports
    }

    /// Explains the selection; with an empty selection the function or block around the
    /// cursor; with `nil` the whole file.
    public func explain(
        _ input: ActionInput,
        onProgress: @escaping @Sendable (SelfMoAProgress) -> Void = { _ in },
        onAnswer: @escaping @Sendable (AnswerEvent) -> Void = { _ in },
        onPartial: @escaping @Sendable (PartialAnswer) -> Void = { _ in }
    ) async throws -> ExplainResult {
        let focused = ContextExtractor.focused(input, lineNumbers: false)
        let ledger = RoundTripLedger()
        let action = settings.configuration(for: .explain)
        // One answer leaves nothing to rank.
        let roundTrip = action.roundTrip && action.engine.mode != .single
            ? RoundTripChecker(model: model, code: ExplainAction.explained(focused), language: input.language, ledger: ledger)
            : nil
        let run = try await SelfMoAEngine(
            model: model, configuration: action.engine, checker: roundTrip ?? ProseChecker()
        ).run(
            ExplainAction.task(focused), onProgress: onProgress,
            onAnswer: PartialAnswerFolder.callback(clean: ExplainAction.markdown, onPartial: onPartial, onAnswer: onAnswer))
        return ExplainResult(markdown: ExplainAction.markdown(run.text), run: run, roundTrips: await ledger.cost)
    }

    /// Answers `question` about the selection; with an empty selection about the function or
    /// block around the cursor; with `nil` about the whole file. Streams like explain.
    public func ask(
        _ input: ActionInput, question: AskQuestion,
        onProgress: @escaping @Sendable (SelfMoAProgress) -> Void = { _ in },
        onAnswer: @escaping @Sendable (AnswerEvent) -> Void = { _ in },
        onPartial: @escaping @Sendable (PartialAnswer) -> Void = { _ in }
    ) async throws -> AskResult {
        let focused = ContextExtractor.focused(input, lineNumbers: false)
        let run = try await engine(.ask).run(
            AskAction.task(focused, question: question), onProgress: onProgress,
            onAnswer: PartialAnswerFolder.callback(clean: ExplainAction.markdown, onPartial: onPartial, onAnswer: onAnswer))
        return AskResult(question: question.text, markdown: ExplainAction.markdown(run.text), run: run)
    }

    /// Reviews the selection (the whole file for `nil`, the block around the cursor for an
    /// empty selection) and returns findings on document lines.
    public func review(
        _ input: ActionInput,
        onProgress: @escaping @Sendable (SelfMoAProgress) -> Void = { _ in },
        onAnswer: @escaping @Sendable (AnswerEvent) -> Void = { _ in }
    ) async throws -> ReviewResult {
        let focused = ContextExtractor.focused(input, lineNumbers: true)
        let action = settings.configuration(for: .review)
        let units = action.repairCheck ? RepairUnits.units(in: focused.source.lines, focus: focused.focus) : []
        // With repairs, the review's own run is the first of 1 + units.count equal shares of
        // progress; the repairs' own plans and endings stay inside, and the review ends it all.
        let share = { (index: Int) -> @Sendable (SelfMoAProgress) -> Void in
            let parts = Double(units.count + 1)
            return { progress in
                if index > 0, case .planned = progress.event { return }
                if !units.isEmpty, case .finished = progress.event { return }
                onProgress(SelfMoAProgress(event: progress.event, fraction: (Double(index) + progress.fraction) / parts))
            }
        }
        let run = try await engine(.review).run(ReviewAction.task(focused), onProgress: share(0), onAnswer: onAnswer)
        var output = ReviewAction.findings(of: run, source: focused.source)
        let check = try await repairCheck(units, focused: focused, language: input.language, runExamples: action.runExamples, share: share)
        output.findings = FindingMerger.merge(output.findings + check.findings)
        let repairs = check.runs
        if !units.isEmpty { onProgress(SelfMoAProgress(event: .finished(aggregated: run.aggregated), fraction: 1)) }
        let markdown = ReviewAction.markdown(output, answer: run.text, focused: focused, language: input.language)
        return ReviewResult(
            markdown: markdown, findings: output.findings, run: run, repairs: repairs, notes: check.notes,
            lineSearch: (check.lineSearches, check.lineSearchCost))
    }

    /// The engine task an action would run for `input`, e.g. to `plan` it or to benchmark it.
    public func task(_ kind: ActionKindName, for input: ActionInput) -> SelfMoATask {
        switch kind {
        case .explain: return ExplainAction.task(ContextExtractor.focused(input, lineNumbers: false))
        case .ask:
            // A question is needed to ask; planning and benchmarks of the shape use a generic one.
            let question = (try? AskQuestion("What does this code do?"))!
            return AskAction.task(ContextExtractor.focused(input, lineNumbers: false), question: question)
        case .review: return ReviewAction.task(ContextExtractor.focused(input, lineNumbers: true))
        case .complete, .completion:
            let action = settings.configuration(for: kind)
            return CompleteAction.task(
                ContextExtractor.insertion(input), kind: kind, infill: action.infill, wholeFunction: action.wholeFunction)
        }
    }

    /// The engine with an action's configuration. explain and ask stream their first proposal
    /// as a draft and judge their candidates with `ProseChecker` (a cut or looping answer ranks
    /// low); review's answer is judged by its findings, after the run.
    public func engine(_ kind: ActionKindName) -> SelfMoAEngine {
        let prose = kind == .explain || kind == .ask
        return SelfMoAEngine(
            model: model, configuration: settings.configuration(for: kind).engine, checker: prose ? ProseChecker() : nil)
    }
}
