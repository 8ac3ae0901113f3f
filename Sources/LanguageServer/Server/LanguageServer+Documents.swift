import JSON
import JSONRPC

extension LanguageServer {
    func didOpen(_ params: DidOpenTextDocumentParams) {
        let item = params.textDocument
        documents.open(TextDocument(uri: item.uri, languageId: item.languageId, version: item.version, text: item.text))
    }

    func didChange(_ params: DidChangeTextDocumentParams) {
        let changes = params.contentChanges.map { (range: $0.range, text: $0.text) }
        let known = documents.change(
            uri: params.textDocument.uri, version: params.textDocument.version, changes: changes, encoding: encoding)
        cancelCompletions(uri: params.textDocument.uri)
        if !known {
            logger.warning("didChange for \(params.textDocument.uri), which is not open: ignored")
        }
    }

    func didClose(_ params: DidCloseTextDocumentParams) {
        cancelCompletions(uri: params.textDocument.uri)
        clearFindings(uri: params.textDocument.uri)
        if documents.close(uri: params.textDocument.uri) == nil {
            logger.warning("didClose for \(params.textDocument.uri), which is not open: ignored")
        }
    }

    /// The open document at `uri`, or an invalid-params error.
    func document(_ uri: String) throws(ResponseError) -> TextDocument {
        guard let document = documents[uri] else {
            throw .invalidParams("document \(uri) is not open: send textDocument/didOpen first")
        }
        return document
    }
}
