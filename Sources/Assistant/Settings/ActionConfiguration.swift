import SelfMoA

/// One action's settings, resolved: every value decided, nothing optional.
///
/// `AssistantSettings` resolves it once from the action's defaults and whatever the client, the
/// command line or a benchmark set (`ActionSettings`), and checks it
/// (`SelfMoAConfiguration.validate`) before anything runs, so a bad combination is refused
/// when it arrives rather than when a command runs.
public struct ActionConfiguration: Sendable, Hashable {
    /// The engine's configuration: samples, caps, mode, temperatures, how the answer is chosen.
    public var engine: SelfMoAConfiguration
    /// complete, completion: drop candidates whose code does not parse in the file.
    public var checkSyntax: Bool
    /// review, complete (and completion, experimentally): run the docstring's examples in the
    /// sandbox as evidence.
    public var runExamples: Bool
    /// complete, completion: ask by fill-in-the-middle where the backend offers it.
    public var infill: Bool
    /// complete, completion: bring along the standard-library imports the code needs.
    public var addImports: Bool
    /// review: ask for repairs of each function and report the lines most of them change.
    public var repairCheck: Bool
    /// complete: at an empty Python function body, ask for the whole function.
    public var wholeFunction: Bool
    /// complete: the mode of that whole-function ask.
    public var wholeFunctionMode: SelfMoAMode
    /// explain: rank sound candidates by the code the model rebuilds from each.
    public var roundTrip: Bool
    /// complete: when no candidate's code parses, ask the model once to correct it from the
    /// checker's message.
    public var correctUnparsed: Bool
    /// complete and completion, in C and C++: show the model the definitions of the types the
    /// function names, from the file's headers.
    public var headerDeclarations: Bool
    /// complete and completion: show the model the code most like the cursor's from the editor's
    /// other open documents and the files beside the file.
    public var similarCode: Bool

    /// Tokens explain and ask may add to a chosen answer that stopped at its cap.
    static let continuation = 128

    /// `settings` laid over the defaults of `kind`.
    public init(_ kind: ActionKindName, _ settings: ActionSettings) {
        let resolved = ActionSettings.defaults(for: kind).applying(settings)
        let engine = SelfMoAConfiguration()
        // complete and completion answer with one of their candidates: its cap is theirs.
        let answerCap = kind == .complete || kind == .completion
            ? (settings.answerMaxTokens ?? settings.maxTokens.map { max($0, resolved.answerMaxTokens ?? 0) })
            : nil
        self.engine = SelfMoAConfiguration(
            proposals: resolved.samples ?? engine.proposals,
            proposerTemperature: resolved.proposerTemperature ?? engine.proposerTemperature,
            aggregatorTemperature: resolved.aggregatorTemperature ?? engine.aggregatorTemperature,
            seed: resolved.seed,
            proposalMaxTokens: resolved.maxTokens ?? engine.proposalMaxTokens,
            answerMaxTokens: answerCap ?? resolved.answerMaxTokens ?? engine.answerMaxTokens,
            mode: resolved.mode ?? engine.mode,
            seq: SeqConfiguration(window: resolved.window, reserved: resolved.reserved),
            prefixReuse: resolved.prefixReuse ?? engine.prefixReuse,
            proposerModels: resolved.proposerModels ?? engine.proposerModels,
            aggregatorModel: resolved.aggregatorModel,
            greedyProposal: resolved.greedyProposal ?? engine.greedyProposal,
            agreement: resolved.agreement ?? engine.agreement,
            aggregation: resolved.aggregation ?? engine.aggregation,
            answer: resolved.answer ?? engine.answer,
            escalate: resolved.escalate ?? engine.escalate
        )
        self.engine.streamDraft = kind == .explain || kind == .ask
        // An explanation or answer that every candidate ran past its cap is finished, not cut;
        // so is complete's code (long bodies outgrow a proposal's cap), with the answer's room.
        switch kind {
        case .explain, .ask: self.engine.continuationMaxTokens = Self.continuation
        case .complete: self.engine.continuationMaxTokens = self.engine.answerMaxTokens
        default: self.engine.continuationMaxTokens = 0
        }
        checkSyntax = resolved.checkSyntax ?? false
        runExamples = resolved.runExamples ?? false
        infill = resolved.infill ?? true
        addImports = resolved.addImports ?? false
        repairCheck = resolved.repairCheck ?? false
        wholeFunction = resolved.wholeFunction ?? false
        wholeFunctionMode = resolved.wholeFunctionMode ?? .single
        roundTrip = resolved.roundTrip ?? false
        correctUnparsed = resolved.correctUnparsed ?? false
        headerDeclarations = resolved.headerDeclarations ?? false
        similarCode = resolved.similarCode ?? false
    }
}
