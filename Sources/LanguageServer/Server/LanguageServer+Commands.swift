import Assistant
import Foundation
import JSON
import JSONRPC
import ModelBackend
import SelfMoA

/// A document as a request saw it, so results map back to the text the model was given.
struct DocumentSnapshot: Sendable {
    let document: TextDocument
    let encoding: PositionEncoding
    var uri: String { document.uri }
    var version: Int { document.version }
}

extension LanguageServer {
    /// `workspace/executeCommand` for `selfmoa.explain`, `selfmoa.ask`, `selfmoa.review` and
    /// `selfmoa.complete`.
    /// Takes the document as it is now, then runs the model work in a task attached to the
    /// request, with progress, so `$/cancelRequest` stops it.
    func executeCommand(
        _ params: ExecuteCommandParams, request: IncomingRequest
    ) throws(ResponseError) -> @Sendable () async throws -> JSONValue {
        if params.command == ServerCapabilities.reviewChanges { return try reviewChanges(params, request: request) }
        guard let kind = ActionKind(command: params.command) else {
            throw .invalidParams("unknown command \(params.command); this server runs \(ServerCapabilities.commands.joined(separator: ", "))")
        }
        guard let argument = params.arguments?.first else {
            throw .invalidParams("\(params.command) needs one argument {textDocument: {uri, version}, range}")
        }
        let arguments: ActionArguments = try decode(argument)
        let question: AskQuestion?
        do {
            question = kind == .ask ? try AskQuestion(arguments.question) : nil
        } catch {
            throw .invalidParams(error.message)
        }
        let document = try document(arguments.textDocument.uri)
        if let seen = arguments.textDocument.version, seen != document.version {
            throw .contentModified(
                "\(document.uri) changed since this action was offered (version \(seen), now \(document.version)); run it again")
        }
        let snapshot = DocumentSnapshot(document: document, encoding: encoding)
        let selection = arguments.range.map { document.byteRange(of: $0, encoding: encoding) }
        let range = arguments.range ?? document.fullRange(encoding: encoding)
        let input = ActionInput(
            fileName: Self.fileName(of: document.uri), language: document.languageId, text: document.text,
            selection: kind == .review ? selection.flatMap { $0.isEmpty ? nil : $0 } : selection, path: Self.path(of: document.uri),
            openFiles: kind == .complete ? openFiles(besides: document) : [])
        let token = params.workDoneToken
        let id = request.id
        return { [self] in
            try await self.perform(
                kind, input: input, question: question, snapshot: snapshot, range: range, token: token, requestID: id)
        }
    }

    /// Runs one action and delivers its result to the client.
    func perform(
        _ kind: ActionKind, input: ActionInput, question: AskQuestion?, snapshot: DocumentSnapshot, range: LSPRange,
        token: JSONValue?, requestID: RequestID
    ) async throws -> JSONValue {
        let progress = await WorkDoneProgress.begin(
            title: "Self-MoA: \(kind.rawValue)", message: "sampling", clientToken: token,
            clientSupportsCreate: client.workDoneProgress, connection: connection)
        if let token = progress.token { progressRequests[token] = requestID }
        defer { if let token = progress.token { progressRequests[token] = nil } }
        var fields: [String: JSONValue] = ["kind": .string(kind.rawValue), "uri": .string(snapshot.uri), "range": try encode(range)]
        if let question { fields["question"] = .string(question.text) }
        let partials = client.selfmoaResults ? PartialResults(connection: connection, fields: fields) : nil
        defer { partials?.close() }
        let reporter: @Sendable (SelfMoAProgress) -> Void = {
            partials?.observe($0)
            progress.report($0.message, fraction: $0.fraction)
        }
        let onPartial: @Sendable (PartialAnswer) -> Void = { partials?.send($0) }
        let assistant = Assistant(model: await models.model(), settings: settings.assistant)
        logger.info("\(kind.command) on \(snapshot.uri) v\(snapshot.version)")
        let logger = logger
        let waiting: @Sendable (String) -> Void = { message in
            progress.report(message)
            logger.notice("\(kind.command): \(message)")
        }
        return try await BackendActivity.reporting(to: waiting) {
            try await self.run(
                kind, input: input, question: question, snapshot: snapshot, range: range, assistant: assistant,
                progress: progress, partials: partials, fields: fields, reporter: reporter, onPartial: onPartial)
        }
    }

    /// The action itself, under `perform`'s progress and streaming.
    private func run(
        _ kind: ActionKind, input: ActionInput, question: AskQuestion?, snapshot: DocumentSnapshot, range: LSPRange,
        assistant: Assistant, progress: WorkDoneProgress, partials: PartialResults?, fields: [String: JSONValue],
        reporter: @escaping @Sendable (SelfMoAProgress) -> Void, onPartial: @escaping @Sendable (PartialAnswer) -> Void
    ) async throws -> JSONValue {
        do {
            let value: JSONValue
            switch kind {
            case .explain:
                let result = try await assistant.explain(input, onProgress: reporter, onPartial: onPartial)
                partials?.close()
                deliver(fields: fields, run: result.run, markdown: result.markdown, cost: result.cost)
                value = try encode(ExplainCommandResult(markdown: result.markdown, stats: result.cost))
            case .ask:
                guard let question else { throw ResponseError.invalidParams("question is missing") }
                let result = try await assistant.ask(input, question: question, onProgress: reporter, onPartial: onPartial)
                partials?.close()
                deliver(fields: fields, run: result.run, markdown: result.markdown, cost: result.cost)
                value = try encode(AskCommandResult(question: result.question, markdown: result.markdown, stats: result.cost))
            case .review:
                let result = try await assistant.review(input, onProgress: reporter)
                let diagnostics = publishFindings(result.findings, snapshot: snapshot)
                deliver(fields: fields, run: result.run, markdown: result.markdown, cost: result.cost)
                value = try encode(ReviewCommandResult(
                    markdown: result.markdown, findings: diagnostics.map(FindingValue.init), stats: result.cost))
            case .complete:
                let result = try await assistant.complete(input, kind: .complete, onProgress: reporter)
                // What the candidate checks could not do (a missing toolchain, no sandbox).
                for note in result.cost.notes { logger.notice("\(kind.command): \(note)") }
                value = try encode(await applyCompletion(result, snapshot: snapshot, range: range))
            }
            progress.end("done")
            return value
        } catch {
            throw failure(error, progress: progress, what: "Self-MoA \(kind.rawValue)")
        }
    }

    /// Sends an explanation, answer or review to the client: as our final `selfmoa/result`
    /// notification (no `partial`) when it announced it renders them, else as a message.
    func deliver(fields: [String: JSONValue], run: SelfMoAResult, markdown: String, cost: CostReport) {
        if client.selfmoaResults {
            var params = fields
            params["markdown"] = .string(markdown)
            params["stats"] = (try? encode(cost)) ?? .null
            params["label"] = .string(Self.label(run))
            connection.sendNotification("selfmoa/result", .object(params))
        } else {
            showMessage(3, markdown)
        }
    }

    /// Where a final answer came from: "Self-MoA · 4 samples", "single sample", …
    static func label(_ run: SelfMoAResult) -> String {
        let samples = run.proposals.count
        if run.selection.passedAlone { return "greedy sample, passed its checks" }
        if run.mode == .single || samples <= 1 { return "single sample" }
        if run.selection.escalated, run.selection.decidedByCentrality || !run.aggregated {
            return "Self-MoA · greedy failed its checks, chosen among \(samples) samples by them"
        }
        let method = run.mode == .seq ? "Self-MoA-Seq" : "Self-MoA"
        if run.aggregated { return "\(method) · \(samples) samples" }
        if run.selection.decidedByAgreement { return "\(method) · \(samples) samples, \(run.selection.largestAgreement) agreed" }
        if run.selection.decidedByCentrality { return "\(method) · \(samples) samples, the most typical chosen" }
        return "\(method) · \(samples) samples, not aggregated"
    }

    /// Inserts completed code with a versioned edit, unless the document changed meanwhile.
    func applyCompletion(_ result: CompleteResult, snapshot: DocumentSnapshot, range: LSPRange) async throws -> CompleteCommandResult {
        let document = snapshot.document
        let editRange = LSPRange(
            start: document.position(of: result.replace.lowerBound, encoding: snapshot.encoding),
            end: document.position(of: result.replace.upperBound, encoding: snapshot.encoding))
        let importEdit = result.imports.map { Self.importEdit($0, in: document, encoding: snapshot.encoding) }
        var value = CompleteCommandResult(
            applied: false, code: result.code, range: editRange,
            imports: result.imports.flatMap { imports in importEdit.map { .init(statements: imports.statements, edit: $0) } },
            stats: result.cost)
        func refuse(_ reason: String) -> CompleteCommandResult {
            showMessage(2, "Self-MoA complete: \(reason)")
            value.reason = reason
            return value
        }
        guard !result.code.isEmpty else { return refuse(result.refusal ?? "the model produced no code") }
        guard documents[snapshot.uri]?.version == snapshot.version else {
            return refuse("\(Self.fileName(of: snapshot.uri)) changed while the model worked; nothing was inserted. Run complete again.")
        }
        guard client.applyEdit else {
            return refuse("this editor does not support workspace/applyEdit; the code is in the command's result")
        }
        // The imports sit above the code, so the two edits never overlap; both refer to the
        // document as it was at `snapshot.version`.
        let edits = (importEdit.map { [$0] } ?? []) + [TextEdit(range: editRange, newText: result.code)]
        let workspaceEdit: WorkspaceEdit = client.documentChanges
            ? WorkspaceEdit(documentChanges: [TextDocumentEdit(
                textDocument: OptionalVersionedTextDocumentIdentifier(uri: snapshot.uri, version: snapshot.version), edits: edits)])
            : WorkspaceEdit(changes: [snapshot.uri: edits])
        let reply = try await connection.sendRequest(
            "workspace/applyEdit", try encode(ApplyWorkspaceEditParams(label: "Self-MoA: complete", edit: workspaceEdit)))
        value.applied = reply["applied"]?.boolValue ?? false
        if !value.applied {
            let reason = reply["failureReason"]?.stringValue ?? "the editor did not apply the edit"
            value.reason = reason
            showMessage(2, "Self-MoA complete: \(reason)")
        } else {
            // What the user must know of the inserted code (it was cut back to where it is whole).
            for note in result.notes { showMessage(2, "Self-MoA complete: \(note)") }
        }
        return value
    }

    /// The last path component of a URI, percent-decoded.
    static func fileName(of uri: String) -> String {
        let last = uri.split(separator: "/").last.map(String.init) ?? uri
        return last.removingPercentEncoding ?? last
    }

    /// The path of a `file:` URI (`file:///src/a%20b.c` is `/src/a b.c`); `nil` for other schemes.
    static func path(of uri: String) -> String? {
        guard uri.hasPrefix("file://") else { return nil }
        var rest = uri.dropFirst("file://".count)
        // `file://localhost/x` names the same file as `file:///x`.
        if !rest.hasPrefix("/") {
            guard let slash = rest.firstIndex(of: "/") else { return nil }
            rest = rest[slash...]
        }
        return String(rest).removingPercentEncoding
    }
}
