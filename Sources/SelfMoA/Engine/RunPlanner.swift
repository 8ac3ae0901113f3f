import ModelBackend

/// Plans a run: measures the prompt with the backend's tokenizer, chooses the shape by token
/// budget, and trims the file context when even the smallest shape does not fit.
struct RunPlanner: Sendable {
    /// A plan with the messages and infill parts it was measured on.
    struct Prepared: Sendable {
        var plan: SelfMoAPlan
        var messages: [ChatMessage]
        var infill: (prefix: String, suffix: String, extra: [InfillFile])?
    }

    let model: any LanguageModel
    let configuration: SelfMoAConfiguration

    func prepare(_ task: SelfMoATask, capabilities: ModelCapabilities) async throws -> Prepared {
        let contextTokens = capabilities.contextTokens
        let overhead = TokenBudget.messageOverhead
        var counts = TokenCounts(prompt: 0, scaffold: 0, perCandidate: 0)
        let whole = task.context.map { ContextView.whole($0) }
        var view = whole
        // The three counts are independent: asked for at once, so the first proposal (the
        // draft the user waits for) is not held up by round trips one after the other.
        async let prompt = promptTokens(task, whole)
        // The aggregation prompt's size matters only where something aggregates.
        if configuration.mode != .single, configuration.answer != .central {
            async let scaffold = count(AggregationPrompt.scaffold(answerFormat: task.answerFormat, style: configuration.aggregation))
            async let perCandidate = count(AggregationPrompt.candidateOverhead(largestNumber: configuration.proposals))
            counts.scaffold = try await scaffold + overhead
            counts.perCandidate = try await perCandidate
        }
        counts.prompt = try await prompt

        var shape = TokenBudget.choose(counts, contextTokens: contextTokens, configuration: configuration)
        var trimmed = false
        if shape == nil {
            let smallest = TokenBudget.smallest(configuration)
            let budget = TokenBudget.promptBudget(
                for: smallest, counts, contextTokens: contextTokens, configuration: configuration
            )
            if let context = task.context {
                let fitted = try await trim(task, context, budget: budget, smallest: smallest, contextTokens: contextTokens)
                view = fitted.view
                counts.prompt = fitted.tokens
                trimmed = true
                shape = TokenBudget.choose(counts, contextTokens: contextTokens, configuration: configuration)
            }
            guard shape != nil else {
                throw tooLarge(counts.prompt, budget: budget, smallest: smallest, contextTokens: contextTokens)
            }
        }
        let chosen = shape!
        let infill = task.proposalSource == .infillWhenAvailable && capabilities.infill
        return Prepared(
            plan: SelfMoAPlan(
                shape: chosen,
                proposals: chosen.mode == .single ? 0 : configuration.proposals,
                rounds: chosen.rounds(proposals: configuration.proposals),
                infill: infill,
                counts: counts,
                requiredTokens: TokenBudget.required(chosen, counts, configuration: configuration),
                contextTokens: contextTokens,
                shownLines: view?.shown ?? [],
                trimmed: trimmed
            ),
            messages: task.messages(showing: view),
            infill: infill ? task.context.flatMap { context in view.map { context.infillParts($0) } } : nil
        )
    }

    /// The largest view around the focus whose prompt fits `budget`: the selection, then the
    /// header, then the nearest lines, found by binary search over how many nearest lines to add.
    private func trim(
        _ task: SelfMoATask, _ context: CodeContext, budget: Int, smallest: AggregationShape, contextTokens: Int
    ) async throws -> (view: ContextView, tokens: Int) {
        let bare = ContextView.around(context, nearest: 0, keepHeader: true)
        var best = (view: bare, tokens: try await promptTokens(task, bare))
        if best.tokens > budget {
            let headless = ContextView.around(context, nearest: 0, keepHeader: false)
            let tokens = try await promptTokens(task, headless)
            guard tokens <= budget else {
                throw tooLarge(tokens, budget: budget, smallest: smallest, contextTokens: contextTokens)
            }
            return (headless, tokens)
        }
        var fits = 0
        var overflows = context.lines.count - context.focus.count
        while overflows - fits > 1 {
            let middle = (fits + overflows) / 2
            let view = ContextView.around(context, nearest: middle, keepHeader: true)
            let tokens = try await promptTokens(task, view)
            if tokens <= budget {
                fits = middle
                best = (view, tokens)
            } else {
                overflows = middle
            }
        }
        return best
    }

    private func promptTokens(_ task: SelfMoATask, _ view: ContextView?) async throws -> Int {
        try await count(task.system + "\n\n" + task.userMessage(showing: view)) + 2 * TokenBudget.messageOverhead
    }

    private func count(_ text: String) async throws -> Int {
        try await backendCall { () async throws(ModelBackendError) in try await model.countTokens(text) }
    }

    private func tooLarge(_ prompt: Int, budget: Int, smallest: AggregationShape, contextTokens: Int) -> SelfMoAError {
        let what = smallest.mode == .single
            ? "an answer of \(configuration.answerMaxTokens) tokens"
            : "\(smallest.mode == .seq ? "a window of \(smallest.window)" : "\(smallest.window)") candidates of up to "
                + "\(configuration.proposalMaxTokens) tokens and an answer of \(configuration.answerMaxTokens)"
        return SelfMoAError(
            .contextTooLarge,
            "The request needs about \(prompt) prompt tokens even with the file trimmed to the selection, but only "
                + "\(max(budget, 0)) fit the model's context of \(contextTokens) tokens next to \(what). Select less "
                + "code, lower proposalMaxTokens or answerMaxTokens, or use a model with a larger context."
        )
    }
}

/// Runs a backend call, turning its failure into `CancellationError` when the task was cancelled.
func backendCall<T: Sendable>(_ body: () async throws(ModelBackendError) -> T) async throws -> T {
    do {
        return try await body()
    } catch {
        if Task.isCancelled { throw CancellationError() }
        throw error
    }
}
