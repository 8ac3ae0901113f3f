import Assistant
import JSON
import JSONRPC
import ModelBackend

extension LanguageServer {
    /// `textDocument/completion`: one item whose text edit is the synthesised code (smaller N and
    /// token limits than the complete command: the `completion` settings).
    func completion(
        _ params: TextDocumentPositionParams, request: IncomingRequest
    ) throws(ResponseError) -> @Sendable () async throws -> CompletionList {
        let markdown = client.completionMarkdown
        let encoding = encoding
        return try runCompletion(params, request: request) { document, result, range in
            let firstLine = result.code.split(separator: "\n", omittingEmptySubsequences: true).first.map(String.init) ?? result.code
            let label = firstLine.trimmingCharacters(in: .whitespaces)
            let item = CompletionItem(
                label: label.count > 60 ? String(label.prefix(57)) + "…" : label,
                kind: 1, detail: "Self-MoA",
                documentation: markdown
                    ? .markup(MarkupContent(kind: "markdown", value: "```\(document.languageId)\n\(result.code)\n```"))
                    : .plain(result.code),
                filterText: nil, insertTextFormat: 1, textEdit: TextEdit(range: range, newText: result.code), sortText: "0",
                additionalTextEdits: result.imports.map { [Self.importEdit($0, in: document, encoding: encoding)] })
            return CompletionList(isIncomplete: true, items: result.code.isEmpty ? [] : [item])
        }
    }

    /// The edit inserting `imports` into `document` (positions in `encoding`).
    static func importEdit(_ imports: ImportInsertion, in document: TextDocument, encoding: PositionEncoding) -> TextEdit {
        let position = document.position(of: imports.offset, encoding: encoding)
        return TextEdit(range: LSPRange(start: position, end: position), newText: imports.text)
    }

    /// `textDocument/inlineCompletion` (LSP 3.18): the synthesised code as ghost text. Inline
    /// items have no additional edits, so a missing import is not offered here.
    func inlineCompletion(
        _ params: TextDocumentPositionParams, request: IncomingRequest
    ) throws(ResponseError) -> @Sendable () async throws -> InlineCompletionList {
        try runCompletion(params, request: request) { _, result, range in
            let items = result.code.isEmpty ? [] : [InlineCompletionItem(insertText: result.code, filterText: nil, range: range)]
            return InlineCompletionList(items: items)
        }
    }

    /// Shared by both completion requests: snapshot, supersede older requests on the document,
    /// run `complete` with the completion settings, map the result.
    private func runCompletion<Result: Sendable>(
        _ params: TextDocumentPositionParams, request: IncomingRequest,
        makeResult: @escaping @Sendable (TextDocument, CompleteResult, LSPRange) throws -> Result
    ) throws(ResponseError) -> @Sendable () async throws -> Result {
        let document = try document(params.textDocument.uri)
        let offset = document.offset(of: params.position, encoding: encoding)
        let input = ActionInput(
            fileName: Self.fileName(of: document.uri), language: document.languageId, text: document.text,
            selection: offset..<offset, path: Self.path(of: document.uri), openFiles: openFiles(besides: document))
        // A newer request supersedes older ones on the same document.
        cancelCompletions(uri: document.uri)
        completions[document.uri, default: []].append(request)
        let snapshotEncoding = encoding
        let uri = document.uri
        return { [self] in
            defer { Task { await self.forgetCompletion(uri: uri, request: request) } }
            let assistant = Assistant(model: await self.models.model(), settings: await self.settings.assistant)
            let result = try await assistant.complete(input, kind: .completion)
            try Task.checkCancellation()
            let range = LSPRange(
                start: document.position(of: result.replace.lowerBound, encoding: snapshotEncoding),
                end: document.position(of: result.replace.upperBound, encoding: snapshotEncoding))
            return try makeResult(document, result, range)
        }
    }

    /// Cancels the running completion requests of a document (it changed, or a newer one came).
    func cancelCompletions(uri: String) {
        guard let running = completions.removeValue(forKey: uri) else { return }
        for request in running { connection.cancelIncoming(id: request.id) }
    }

    func forgetCompletion(uri: String, request: IncomingRequest) {
        completions[uri]?.removeAll { $0 === request }
        if completions[uri]?.isEmpty == true { completions[uri] = nil }
    }
}
