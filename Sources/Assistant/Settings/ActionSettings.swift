import ModelBackend
import SelfMoA
public struct ActionSettings: Sendable, Hashable, Codable {
    /// N: proposals per run.
    public var samples: Int?
    /// Token cap of one proposal.
    public var maxTokens: Int?
    /// Token cap of the synthesised answer.
    public var answerMaxTokens: Int?
    /// `auto`, `selfmoa`, `seq` or `single`.
    public var mode: SelfMoAMode?
    /// Seq: slots per aggregation step.
    public var window: Int?
    /// Seq: slots holding copies of the current synthesis.
    public var reserved: Int?
    public var proposerTemperature: Double?
    public var aggregatorTemperature: Double?
    /// Mixed-MoA: proposer models used round-robin.
    public var proposerModels: [String]?
    public var aggregatorModel: String?
    /// Lay out the aggregator's prompt so a caching backend reuses the prefilled file context.
    public var prefixReuse: Bool?
    /// Seed of proposal 0 (proposal k uses seed + k); for reproducible runs.
    public var seed: UInt32?
    /// Sample one of the proposals at temperature 0, so the greedy answer is among them.
    public var greedyProposal: Bool?
    /// When a strict majority of the (checked) proposals write the same code, answer with it and
    /// skip aggregation.
    public var agreement: Bool?
    /// complete, completion: drop proposals whose code does not parse in the file (python3,
    /// swiftc, node, tsc, cc where installed), and fall back from a synthesis that does not.
    public var checkSyntax: Bool?
    /// complete, completion on Python: run the `>>>` examples of the function's docstring against
    /// each proposal in a sandboxed subprocess and keep those that pass most. review on Python,
    /// with `repairCheck`: only repairs that pass more of them than the function vote
    /// (`RepairExamples`). Off by default.
    public var runExamples: Bool?
    /// complete, completion: ask for proposals by fill-in-the-middle (`/infill`) where the
    /// backend offers it; `false` asks for them by chat, with the same instruction the
    /// aggregator gets.
    public var infill: Bool?
    /// The aggregator's instruction: `synthesize` or `consensus`.
    public var aggregation: AggregationStyle?
    /// Where the answer comes from: `synthesis` (the aggregator writes it) or `central` (the
    /// proposal most like the others, no aggregation).
    public var answer: AnswerSource?
    /// complete, completion on Python: bring along the `import` lines of standard-library modules
    /// the code uses and the file does not import (`MissingImports`).
    public var addImports: Bool?
    /// complete on Python, at the start of an empty function body: ask for proposals by chat as
    /// the whole function (`def` line, body, and any helpers above it), the way a model answers
    /// "complete this function", and insert its body. Elsewhere proposals are asked for as usual.
    public var wholeFunction: Bool?
    /// The mode where `wholeFunction` asks for the whole function (experimental; default
    /// `single`). `mode` does not change it.
    public var wholeFunctionMode: SelfMoAMode?
    /// review: also ask for `samples + 1` repairs of each function reviewed (one greedy) and
    /// report the lines most of them change (`RepairVote`), with the repair as the fix.
    public var repairCheck: Bool?
    /// complete, at the whole-function ask (`wholeFunction`): sample the greedy proposal and
    /// check it alone first, and the others only when it fails a check
    /// (`SelfMoAConfiguration.escalate`). Elsewhere complete's candidates are sampled together.
    public var escalate: Bool?
    /// explain: choose among the sound candidates by how much of the code the model rebuilds
    /// from each (`RoundTripChecker`): one greedy rewrite per candidate.
    public var roundTrip: Bool?
    /// complete, with `checkSyntax`: when no candidate's code parses in the file, show the model
    /// the chosen code with the checker's message and ask once more, greedily; the corrected
    /// code goes in only if it parses (`Assistant.correctedByModel`).
    public var correctUnparsed: Bool?
    /// complete and completion, in C and C++: show the model, before the file, the definitions
    /// of the types the function at the cursor names, from the headers the file includes
    /// (`HeaderDeclarations`).
    public var headerDeclarations: Bool?
    /// complete and completion: show the model, before the file, the code most like the code
    /// around the cursor from the editor's other open documents and the files beside it
    /// (`SimilarCode`).
    public var similarCode: Bool?

    public init(
        samples: Int? = nil, maxTokens: Int? = nil, answerMaxTokens: Int? = nil, mode: SelfMoAMode? = nil,
        window: Int? = nil, reserved: Int? = nil, proposerTemperature: Double? = nil,
        aggregatorTemperature: Double? = nil, proposerModels: [String]? = nil, aggregatorModel: String? = nil,
        prefixReuse: Bool? = nil, seed: UInt32? = nil, greedyProposal: Bool? = nil, agreement: Bool? = nil,
        checkSyntax: Bool? = nil, runExamples: Bool? = nil, infill: Bool? = nil,
        aggregation: AggregationStyle? = nil, answer: AnswerSource? = nil, addImports: Bool? = nil,
        wholeFunction: Bool? = nil, wholeFunctionMode: SelfMoAMode? = nil, repairCheck: Bool? = nil,
        escalate: Bool? = nil, roundTrip: Bool? = nil, correctUnparsed: Bool? = nil, headerDeclarations: Bool? = nil,
        similarCode: Bool? = nil
    ) {
        self.similarCode = similarCode
        self.correctUnparsed = correctUnparsed
        self.headerDeclarations = headerDeclarations
        self.escalate = escalate
        self.roundTrip = roundTrip
        self.samples = samples
        self.maxTokens = maxTokens
        self.answerMaxTokens = answerMaxTokens
        self.mode = mode
        self.window = window
        self.reserved = reserved
        self.proposerTemperature = proposerTemperature
        self.aggregatorTemperature = aggregatorTemperature
        self.proposerModels = proposerModels
        self.aggregatorModel = aggregatorModel
        self.prefixReuse = prefixReuse
        self.seed = seed
        self.greedyProposal = greedyProposal
        self.agreement = agreement
        self.checkSyntax = checkSyntax
        self.runExamples = runExamples
        self.infill = infill
        self.aggregation = aggregation
        self.answer = answer
        self.wholeFunction = wholeFunction
        self.wholeFunctionMode = wholeFunctionMode
        self.addImports = addImports
        self.repairCheck = repairCheck
    }

    /// These settings with every field `other` sets taken from `other`; nothing else changes.
    public func applying(_ other: ActionSettings) -> ActionSettings {
        ActionSettings(
            samples: other.samples ?? samples, maxTokens: other.maxTokens ?? maxTokens,
            answerMaxTokens: other.answerMaxTokens ?? answerMaxTokens, mode: other.mode ?? mode,
            window: other.window ?? window, reserved: other.reserved ?? reserved,
            proposerTemperature: other.proposerTemperature ?? proposerTemperature,
            aggregatorTemperature: other.aggregatorTemperature ?? aggregatorTemperature,
            proposerModels: other.proposerModels ?? proposerModels, aggregatorModel: other.aggregatorModel ?? aggregatorModel,
            prefixReuse: other.prefixReuse ?? prefixReuse, seed: other.seed ?? seed,
            greedyProposal: other.greedyProposal ?? greedyProposal, agreement: other.agreement ?? agreement,
            checkSyntax: other.checkSyntax ?? checkSyntax, runExamples: other.runExamples ?? runExamples,
            infill: other.infill ?? infill, aggregation: other.aggregation ?? aggregation,
            answer: other.answer ?? answer,
            addImports: other.addImports ?? addImports, wholeFunction: other.wholeFunction ?? wholeFunction,
            wholeFunctionMode: other.wholeFunctionMode ?? wholeFunctionMode,
            repairCheck: other.repairCheck ?? repairCheck, escalate: other.escalate ?? escalate,
            roundTrip: other.roundTrip ?? roundTrip, correctUnparsed: other.correctUnparsed ?? correctUnparsed,
            headerDeclarations: other.headerDeclarations ?? headerDeclarations,
            similarCode: other.similarCode ?? similarCode
        )
    }

    /// The defaults of an action, chosen for the embedded default: a 0.5B model on two CPU
    /// cores, where one 200-token sample takes about 17 s and `n = 4` samples in one request
    /// about 35 s (prefill is shared, decoding is batched).
    ///
    /// - explain, review: 4 samples of up to 256 tokens, an answer of up to 384 — an explanation
    ///   or a list of findings fits, and a run takes roughly a minute.
    /// - complete: 6 samples of up to 192 tokens, an answer of up to 256 — a function body.
    /// - completion: 2 samples of up to 96 tokens, an answer of up to 96 — a statement or a few
    ///   lines, in well under half a minute on that machine and in seconds on a GPU server.
    ///
    /// complete chooses among its candidates instead of synthesising: the greedy answer is one
    /// of the 6, proposals whose code does not parse in the file (or is a placeholder) are
    /// dropped, a majority of identical proposals answers, and otherwise the central proposal
    /// (`answer: central`, the one most like the others). On HumanEval-164 (bench/RESULTS.md)
    /// that passed 82 against 66 for one greedy sample (75 choosing among 4), at 2.6× its
    /// time (1.85× with 4), where the 0.5B model's synthesis of the same 6 passed 70. The paper's
    /// N: more samples help the choice more than they help the synthesis.
    ///
    /// Except where the cursor starts an empty body of a top-level Python function: there complete
    /// asks for the whole function (`wholeFunction`), the way instruct models are trained to be
    /// asked (on HumanEval one greedy such answer passed far more than any choice among samples
    /// asked for at the cursor, bench/RESULTS.md §5.1c). The greedy answer is checked first, its
    /// code run against the docstring's examples inside the bubblewrap sandbox (`runExamples`);
    /// it answers when it passes them, and only when it fails one are the other 5 sampled and
    /// the one passing most chosen, the greedy one kept on a tie (`escalate`, §5.13). complete and
    /// completion bring the standard-library imports their Python code needs (`addImports`).
    ///
    /// review also asks for repairs of each function it covers (`repairCheck`) and reports the
    /// lines most repairs change: reviewing, the 0.5B model reports almost no planted bug;
    /// repairing, it finds some (bench/RESULTS.md §5.8).
    ///
    /// explain and ask sample their first proposal greedily (`greedyProposal`): with these models
    /// one greedy sample beats one at 0.7, and that proposal is the draft the editor shows while
    /// the others are sampled. explain then answers with the central candidate among those that
    /// neither stopped at the cap nor repeat themselves (`answer: central`, `ProseChecker`): the
    /// 0.5B model's synthesis of explanations looped or ran past its cap, and chose no better
    /// (bench/RESULTS.md §5.11). Among those, the candidates from which the model rebuilds code
    /// closest to the explained code come first (`roundTrip`, `RoundTripChecker`). ask still synthesises; a looping synthesis gives way to the best
    /// sound proposal.
    ///
    /// All use the papers' temperatures (0.7 proposers, 0 aggregator), `auto` mode (Seq only
    /// when the candidates do not fit) and prefix reuse. explain and review take fewer samples
    /// than the paper's 6: on CPU every sample costs decode time, and their synthesis has to
    /// read every candidate (a longer prompt, a longer wait for its first token).
    public static func defaults(for kind: ActionKindName) -> ActionSettings {
        var settings = ActionSettings(
            samples: 4, maxTokens: 256, answerMaxTokens: 384, mode: .auto, proposerTemperature: 0.7,
            aggregatorTemperature: 0, prefixReuse: true, greedyProposal: false, agreement: false,
            checkSyntax: false, runExamples: false, infill: true, answer: .synthesis, addImports: false,
            wholeFunction: false, repairCheck: false, roundTrip: false, correctUnparsed: false,
            // Measured with the 0.5B model: no more C++ fills parse, and prompts are longer
            // (bench/RESULTS.md §5.12); for stronger models, on under `experimental`.
            headerDeclarations: false,
            // Measured with the 0.5B model in C++: as many fills compile with it as without (some
            // gained, as many lost), and prompts are 73 % longer (bench/RESULTS.md §5.12).
            similarCode: false
        )
        switch kind {
        case .explain:
            // The greedy answer is among the candidates, and is the draft shown first; the
            // central sound candidate answers (bench/RESULTS.md §5.11).
            settings.greedyProposal = true
            settings.answer = .central
            // Among the sound candidates, the one the model rebuilds the code from best.
            settings.roundTrip = true
        case .ask:
            settings.greedyProposal = true
        case .review:
            settings.repairCheck = true
            // Python: the docstring's examples, run inside the bubblewrap sandbox, decide which
            // repairs vote (16 of 60 planted bugs found and 0 of 60 correct functions flagged,
            // against 13 and 7 without; bench/RESULTS.md §5.8). Without bwrap nothing runs and
            // every repair votes, as the cost report's notes say.
            settings.runExamples = true
        case .complete:
            settings.samples = 6
            settings.maxTokens = 192
            settings.answerMaxTokens = 256
            settings.greedyProposal = true
            settings.checkSyntax = true
            settings.agreement = true
            settings.answer = .central
            settings.addImports = true
            settings.wholeFunction = true
            // The greedy whole function, checked by the docstring's examples in the sandbox;
            // only when it fails one are 5 more sampled and the examples choose
            // (bench/RESULTS.md §5.13). Without bwrap nothing runs and the greedy one answers.
            settings.wholeFunctionMode = .selfMoA
            settings.escalate = true
            settings.runExamples = true
            // No candidate parses: the chosen code and the checker's message, shown back to the
            // model for one greedy correction (bench/RESULTS.md §5.12).
            settings.correctUnparsed = true
        case .completion:
            settings.samples = 2
            settings.maxTokens = 96
            settings.answerMaxTokens = 96
            settings.addImports = true
        }
        return settings
    }
}
