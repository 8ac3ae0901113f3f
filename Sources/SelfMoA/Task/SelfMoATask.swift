import ModelBackend

/// What to ask the model, in structured form so the engine can fit it to a token budget.
///
/// The engine renders it into the proposers' messages — `system`, then one user message with
/// the file context (trimmed around the selection when it does not fit) followed by
/// `instruction`, or the other way round (`instructionFirst`) — and reuses exactly those messages as the start of the aggregator's prompt.
/// Actions (explain, review, complete) differ only in the texts they put here and in how they
/// parse the answer.
public struct SelfMoATask: Sendable, Hashable {
    /// Where proposals come from.
    public enum ProposalSource: String, Sendable, Hashable {
        /// Chat completions over the rendered messages.
        case chat
        /// Fill-in-the-middle at `context.cursor` (`LanguageModel.infill`) when the backend
        /// has it (`capabilities().infill`); chat otherwise. Aggregation is always a chat.
        case infillWhenAvailable
    }

    /// The system message of proposers and aggregator.
    public var system: String
    /// What to do, placed after the file context in the user message.
    public var instruction: String
    /// The file the request is about; `nil` for a request without code.
    public var context: CodeContext?
    /// Appended to the aggregation instruction to pin the answer's form (for example "Reply
    /// with only the code to insert."). `nil`: "in the form the request asks for".
    public var answerFormat: String?
    /// Stop sequences for proposals and answer.
    public var stop: [String]
    /// Chat or fill-in-the-middle proposals.
    public var proposalSource: ProposalSource
    /// Put `instruction` first and the code after it, fenced, without the file heading ("Complete
    /// the function `f` in the following Python file:" and the code), the way models are most
    /// often asked; otherwise the file context comes first and the instruction after it.
    public var instructionFirst: Bool

    public init(
        system: String,
        instruction: String,
        context: CodeContext? = nil,
        answerFormat: String? = nil,
        stop: [String] = [],
        proposalSource: ProposalSource = .chat,
        instructionFirst: Bool = false
    ) {
        self.system = system
        self.instruction = instruction
        self.context = context
        self.answerFormat = answerFormat
        self.stop = stop
        self.proposalSource = proposalSource
        self.instructionFirst = instructionFirst
    }

    /// Checks the context is consistent; the engine calls it before a run.
    public func validate() throws(SelfMoAError) {
        try context?.validate()
        if proposalSource == .infillWhenAvailable, context?.cursor == nil {
            throw SelfMoAError(.invalidTask, "Infill proposals need a cursor in the code context.")
        }
    }

    /// The proposers' messages with the whole file shown.
    public var messages: [ChatMessage] { messages(showing: context.map { ContextView.whole($0) }) }

    func messages(showing view: ContextView?) -> [ChatMessage] {
        [.system(system), .user(userMessage(showing: view))]
    }

    func userMessage(showing view: ContextView?) -> String {
        guard let context, let view else { return instruction }
        if instructionFirst { return instruction + "\n" + context.renderCode(view) }
        return context.render(view) + "\n\n" + instruction
    }
}
