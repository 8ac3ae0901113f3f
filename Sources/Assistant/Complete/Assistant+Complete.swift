import ModelBackend
import SelfMoA
import Tools

extension Assistant {
    /// Writes code at the cursor (an empty selection; `nil` is the end of the document), or
    /// rewrites the lines a non-empty selection touches. With `addImports`, the result also
    /// carries the imports the code needs and the file lacks: in Python the standard library's,
    /// in C and C++ the headers the compiler says to include when the code does not compile
    /// without them (`CompilerCorrections`).
    ///
    /// At an empty top-level Python function body the whole function is asked for
    /// (`wholeFunction`). When that answer gives nothing for the body — nothing parses, no code,
    /// or it stopped at its cap without ever reaching the function (it was restating the file
    /// above it) — the body is asked for at the cursor instead, as for a method; the cost report
    /// counts both runs and says so (`CompleteResult.setAside`).
    ///
    /// - Parameter kind: whose settings to use: `.complete` for the command, `.completion` for
    ///   completion while typing (which also asks for a shorter continuation).
    public func complete(
        _ input: ActionInput,
        kind: ActionKindName = .complete,
        onProgress: @escaping @Sendable (SelfMoAProgress) -> Void = { _ in },
        onAnswer: @escaping @Sendable (AnswerEvent) -> Void = { _ in }
    ) async throws -> CompleteResult {
        var insertion = ContextExtractor.insertion(input)
        let action = settings.configuration(for: kind)
        if action.headerDeclarations { insertion.context.related = Self.includedDeclarations(input, insertion) }
        if action.similarCode { insertion.context.related += Self.similarCode(input, insertion) }
        guard let name = CompleteAction.wholeFunction(insertion, kind: kind, enabled: action.wholeFunction) else {
            return try await fill(input, insertion, kind: kind, wholeFunction: false, onProgress: onProgress, onAnswer: onAnswer)
        }
        // The run's end is reported once the answer is known to stand.
        let whole = try await fill(input, insertion, kind: kind, wholeFunction: true, onProgress: { progress in
            if case .finished = progress.event { return }
            onProgress(progress)
        }, onAnswer: onAnswer)
        guard let reason = CompleteAction.strayed(whole, function: name) else {
            onProgress(SelfMoAProgress(event: .finished(aggregated: whole.run.aggregated), fraction: 1))
            return whole
        }
        var atCursor = try await fill(input, insertion, kind: kind, wholeFunction: false, onProgress: { progress in
            if case .planned = progress.event { return }
            onProgress(progress)
        }, onAnswer: onAnswer)
        atCursor.setAside = (whole.cost, "the whole function asked for \(reason), so the body was asked for at the cursor")
        return atCursor
    }

    /// One run of complete's task: the whole function (`wholeFunction`, as `CompleteAction.task`
    /// decides) or the code at the cursor; its answer cleaned, cut back, checked and given the
    /// imports it needs.
    func fill(
        _ input: ActionInput, _ insertion: ContextExtractor.Insertion, kind: ActionKindName, wholeFunction: Bool,
        onProgress: @escaping @Sendable (SelfMoAProgress) -> Void, onAnswer: @escaping @Sendable (AnswerEvent) -> Void
    ) async throws -> CompleteResult {
        let action = settings.configuration(for: kind)
        var configuration = action.engine
        // `escalate` belongs to the whole-function ask, where it was measured; elsewhere the
        // candidates are sampled together and chosen among.
        configuration.escalate = false
        if wholeFunction {
            configuration.mode = action.wholeFunctionMode
            configuration.escalate = action.engine.escalate
            // The answers restate the header and docstring before the body starts.
            let restated = CompleteAction.restatedTokens(insertion)
            // Every whole function may answer (the greedy one, or the one chosen among them):
            // each gets the answer's room.
            configuration.proposalMaxTokens = max(configuration.proposalMaxTokens, configuration.answerMaxTokens) + restated
            configuration.answerMaxTokens += restated
        }
        let task = CompleteAction.task(insertion, kind: kind, infill: action.infill, wholeFunction: wholeFunction)
        let run = try await SelfMoAEngine(model: model, configuration: configuration, checker: checker(kind, input, insertion))
            .run(task, onProgress: onProgress, onAnswer: onAnswer)
        var code = CodeCleanup.code(from: run.text, for: insertion, cut: run.answerCut)
        if !run.answerCut { code = BraceCleanup.closingOpenBlocks(code, language: input.language) }
        var notes = run.answerCut && !code.isBlank && code != CodeCleanup.code(from: run.text, for: insertion)
            ? [CompleteResult.cutBackNote] : []
        if run.answerCut, action.checkSyntax, ParsedPrefix.languages.contains(input.language), !code.isBlank,
            CompleteChecker.lastLine(of: code) == CompleteChecker.lastLine(of: run.text) {
            // Cut inside the code: what parses of it, if the whole does not.
            let placer = CompleteChecker(input: input, insertion: insertion, syntax: nil, sandbox: nil)
            if case .invalid = await syntaxChecker.check(placer.placed(code), language: input.language, file: input.path) {
                code = await ParsedPrefix.of(
                    code, language: input.language, path: input.path, checker: syntaxChecker, place: placer.placed)
                notes = code.isBlank ? [] : [CompleteResult.cutBackNote]
            }
        }
        if code.isBlank {
            // Nothing of the answer belongs here (it only repeated the file, say): say so rather
            // than report an empty insertion as done.
            let cut = run.answerCut ? "; the answer stopped at its token cap" : ""
            return CompleteResult(code: "", replace: insertion.replace, run: run, refusal:
                "the model's answer held no code for this place\(cut); nothing was inserted")
        }
        var correction: SelfMoAResult?
        // C, C++: the headers the compiler said the code needs.
        var includes: ImportInsertion?
        if action.checkSyntax, !code.isBlank, let failure = await unparsable(code, run: run, input: input, insertion: insertion) {
            if let corrected = await compilerCorrected(code, run: run, input: input, insertion: insertion, includes: action.addImports) {
                code = corrected.code
                includes = corrected.includes
                notes.append(corrected.note)
            } else if action.correctUnparsed {
                let corrected = try await correctedByModel(
                    code, unparsable: failure, kind: kind, input: input, insertion: insertion, onProgress: onProgress)
                correction = corrected.run
                if let fixed = corrected.code {
                    code = fixed
                    includes = corrected.includes
                    notes = [corrected.note]
                } else if failure.parses {
                    notes += [failure.note, corrected.note]
                } else {
                    return CompleteResult(
                        code: "", replace: insertion.replace, run: run, refusal: failure.refusal, notes: [corrected.note],
                        correction: corrected.run)
                }
            } else if failure.parses {
                notes.append(failure.note)
            } else {
                return CompleteResult(code: "", replace: insertion.replace, run: run, refusal: failure.refusal)
            }
        }
        if includes == nil, action.addImports {
            includes = await imports.insertion(for: code, replacing: insertion.replace, in: input)
        }
        guard let needed = includes else { return CompleteResult(code: code, replace: insertion.replace, run: run, notes: notes, correction: correction) }
        // Imports that belong exactly where the code starts (the code opens the file) become
        // part of the code: two edits at one position are ordered differently by different
        // clients.
        if needed.offset >= insertion.replace.lowerBound {
            return CompleteResult(code: needed.text + code, replace: insertion.replace, run: run, notes: notes, correction: correction)
        }
        return CompleteResult(code: code, replace: insertion.replace, run: run, imports: needed, notes: notes, correction: correction)
    }

    /// In C and C++, the definitions of the types the function around the cursor names, from
    /// the headers its file includes (`HeaderDeclarations`); none for a buffer without a path.
    static func includedDeclarations(_ input: ActionInput, _ insertion: ContextExtractor.Insertion) -> [RelatedCode] {
        guard input.language == "c" || input.language == "cpp", let path = input.path else { return [] }
        let lines = insertion.context.lines
        let block = BlockFinder.enclosingBlock(in: lines, around: insertion.context.focus.lowerBound)
        guard !HeaderDeclarations.names(inSignatureOf: block, of: lines).isEmpty else { return [] }
        let headers = IncludedHeaders.of(input.text, at: path, flags: CompilationFlags.of(file: path))
        return HeaderDeclarations.related(
            block: block, of: lines, headers: headers, directory: String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]))
    }

    /// The code most like the code around the cursor from the editor's other open documents in
    /// the language, then the files beside the file on disk (`SimilarCode`); an open document's
    /// text stands for its file.
    static func similarCode(_ input: ActionInput, _ insertion: ContextExtractor.Insertion) -> [RelatedCode] {
        let open = input.openFiles.filter { $0.path == nil || $0.path != input.path }
        let opened = Set(open.compactMap(\.path))
        let nearby = input.path.map { NearbyFiles.of($0).filter { !opened.contains($0.path) } } ?? []
        let files = open.map { (name: $0.fileName, text: $0.text) } + nearby.map { (name: $0.name, text: $0.text) }
        let line = insertion.context.cursor?.line ?? insertion.context.focus.lowerBound
        return SimilarCode.related(around: line, of: insertion.context.lines, files: files)
    }

    /// Why `code` must not be inserted as it is: it does not parse in the file, or (C, C++) it
    /// parses but does not compile (`Unparsable.parses`). Not checked again when the answer is a
    /// candidate whose code compiled (or could not be checked here) as it was checked.
    func unparsable(_ code: String, run: SelfMoAResult, input: ActionInput, insertion: ContextExtractor.Insertion) async -> Unparsable? {
        let placed = CompleteChecker(input: input, insertion: insertion, syntax: nil, sandbox: nil).placed(code)
        let candidates = max(run.proposals.count, 1)
        let cut = run.answerCut ? "; the answer stopped at its token cap, so a larger maxTokens may help" : ""
        // Brackets need no toolchain: an answer that leaves a block open never goes in.
        if BraceBlock.applies(to: input.language), BraceBlock.unbalances(input.text, into: placed) {
            return Unparsable(
                refusal: "no candidate's code balances its brackets in \(input.fileName) (\(candidates == 1 ? "the answer" : "\(candidates) candidates")"
                    + " would leave a block, call or conditional open, or close one too many)\(cut); nothing was inserted",
                problem: "its brackets do not balance: it leaves a block, call or conditional open, or closes one too many")
        }
        // The chosen candidate, checked as it is, parsed (or could not be checked here). An
        // answer continued past its cap, or any other text, is checked here.
        let checkedAsIs = run.selection.entries.contains { entry in
            (entry.check?.level ?? 0) >= CompleteChecker.compiledLevel && run.proposals.first(where: { $0.index == entry.index })?.text == run.text
        }
        if checkedAsIs { return nil }
        let start = min(insertion.replace.lowerBound, input.text.utf8.count)
        let message: String
        var parses = false
        switch await CompleteChecker.placement(
            of: code, in: placed, at: start, language: input.language, path: input.path, checker: syntaxChecker) {
        case .compiles, .unchecked: return nil
        case .fails(let complaint): message = complaint
        case .parses(let complaint):
            message = complaint
            parses = true
        }
        return Unparsable(
            refusal: "no candidate's code parses in \(input.fileName) (\(candidates == 1 ? "the answer" : "\(candidates) candidates"); "
                + "\(message))\(cut); nothing was inserted",
            problem: Self.withoutPosition(message), parses: parses)
    }

    /// A checker's message without the file and position it starts with
    /// (`<stdin>:12:5: error: …` → `error: …`): the model sees the code, not the file's lines.
    static func withoutPosition(_ message: String) -> String {
        guard let range = message.range(of: #"^\S*:\d+:(\d+:)?\s*"#, options: .regularExpression) else { return message }
        return String(message[range.upperBound...])
    }

    /// C, C++: when no candidate's code compiles in the file, the first of the chosen code and
    /// the other candidates' (at most `CompilerCorrections.candidates`, brackets balanced) that
    /// the compiler's own corrections make compile.
    func compilerCorrected(
        _ code: String, run: SelfMoAResult, input: ActionInput, insertion: ContextExtractor.Insertion, includes: Bool
    ) async -> CompilerCorrections.Corrected? {
        guard CompilerCorrections.languages.contains(input.language) else { return nil }
        let placer = CompleteChecker(input: input, insertion: insertion, syntax: nil, sandbox: nil)
        var codes: [String] = []
        for proposal in run.proposals {
            let cut = proposal.finishReason == "length"
            var other = CodeCleanup.code(from: proposal.text, for: insertion, cut: cut)
            if !cut { other = BraceCleanup.closingOpenBlocks(other, language: input.language) }
            codes.append(other)
        }
        var tried: [String] = []
        for candidate in [code] + codes where !candidate.isBlank && !tried.contains(candidate) {
            guard tried.count < CompilerCorrections.candidates else { break }
            if BraceBlock.unbalances(input.text, into: placer.placed(candidate)) { continue }
            tried.append(candidate)
            if let corrected = await CompilerCorrections.of(
                candidate, language: input.language, path: input.path, checker: syntaxChecker,
                start: min(insertion.replace.lowerBound, input.text.utf8.count), includes: includes, place: placer.placed
            ) { return corrected }
        }
        return nil
    }

    /// complete's candidate checker under the action's settings; `nil` when no check is on.
    func checker(_ kind: ActionKindName, _ input: ActionInput, _ insertion: ContextExtractor.Insertion) -> CompleteChecker? {
        let action = settings.configuration(for: kind)
        let syntax = action.checkSyntax ? syntaxChecker : nil
        let sandbox = action.runExamples ? sandbox : nil
        guard syntax != nil || sandbox != nil || action.engine.agreement else { return nil }
        return CompleteChecker(input: input, insertion: insertion, syntax: syntax, sandbox: sandbox)
    }
}
