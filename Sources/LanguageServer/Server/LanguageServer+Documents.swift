import Assistant
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

    /// The other open documents in `document`'s language, at most `openFilesShown` of them (by
    /// URI) and none over 512 KiB: where complete looks first for code like
    /// the cursor's.
    func openFiles(besides document: TextDocument) -> [OpenFile] {
        let language = LanguageID.normalized(document.languageId)
        let others = documents.uris.sorted().compactMap { uri -> TextDocument? in
            guard uri != document.uri, let other = documents[uri], LanguageID.normalized(other.languageId) == language,
                  other.text.utf8.count <= Self.largestOpenFileShown
            else { return nil }
            return other
        }
        return others.prefix(Self.openFilesShown).map {
            OpenFile(fileName: Self.fileName(of: $0.uri), path: Self.path(of: $0.uri), text: $0.text)
        }
    }

    /// Open documents complete reads at most for code like the cursor's.
    static let openFilesShown = 32
    /// The largest open document it reads.
    static let largestOpenFileShown = 512 << 10
}
