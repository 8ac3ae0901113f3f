import Assistant
import JSON
import JSONRPC

/// A review finding as it goes on the wire in `selfmoa.review`'s result.
struct FindingValue: Codable, Sendable {
    var range: LSPRange
    var severity: String
    var message: String
    var replacement: String?

    init(_ diagnostic: Diagnostic) {
        range = diagnostic.range
        severity = ["error", "warning", "info", "hint"][max(0, min(3, (diagnostic.severity ?? 2) - 1))]
        message = diagnostic.message
        replacement = diagnostic.data?["replacement"]?.stringValue
    }
}

/// The findings of the last review of a document, at the version they describe.
struct PublishedReview: Sendable {
    var version: Int
    var diagnostics: [Diagnostic]
}

extension LanguageServer {
    /// Turns findings into diagnostics on whole lines, publishes them (replacing the previous
    /// review's), and remembers them for quick fixes. `versioned: false` for a file that is not
    /// open: no version goes out and nothing is kept for quick fixes.
    func publishFindings(_ findings: [Finding], snapshot: DocumentSnapshot, versioned: Bool = true) -> [Diagnostic] {
        let document = snapshot.document
        let lastLine = document.lines.lineCount - 1
        let diagnostics = findings.map { finding -> Diagnostic in
            let start = min(max(0, finding.startLine), lastLine)
            let end = min(max(start, finding.endLine), lastLine)
            let range = LSPRange(
                start: Position(line: start, character: 0),
                end: document.position(of: document.contentRange(ofLine: end).upperBound, encoding: snapshot.encoding))
            let severity: Int
            switch finding.severity {
            case .error: severity = 1
            case .warning: severity = 2
            case .info: severity = 3
            case .hint: severity = 4
            }
            return Diagnostic(
                range: range, severity: severity, code: "selfmoa.review", source: "selfmoa", message: finding.message,
                data: finding.replacement.map { ["replacement": .string($0)] })
        }
        if versioned { reviews[snapshot.uri] = PublishedReview(version: snapshot.version, diagnostics: diagnostics) }
        // `data` (the replacement) stays on the server's copy; it goes on the wire only to
        // clients that preserve it.
        let published = client.diagnosticData ? diagnostics : diagnostics.map { var d = $0; d.data = nil; return d }
        notify("textDocument/publishDiagnostics", PublishDiagnosticsParams(
            uri: snapshot.uri, version: client.diagnosticVersions && versioned ? snapshot.version : nil, diagnostics: published))
        return diagnostics
    }

    /// Clears a document's review diagnostics (on close).
    func clearFindings(uri: String) {
        guard reviews.removeValue(forKey: uri) != nil else { return }
        notify("textDocument/publishDiagnostics", PublishDiagnosticsParams(uri: uri, version: nil, diagnostics: []))
    }

    /// Quick fixes for findings with a replacement that overlap `range`, only while the
    /// document is still at the reviewed version (a fix is never applied to changed text).
    func quickFixes(for document: TextDocument, in range: LSPRange) -> [CodeAction] {
        guard let review = reviews[document.uri], review.version == document.version else { return [] }
        return review.diagnostics.compactMap { diagnostic in
            guard let replacement = diagnostic.data?["replacement"]?.stringValue,
                diagnostic.range.start.line <= range.end.line, diagnostic.range.end.line >= range.start.line
            else { return nil }
            let edit = TextDocumentEdit(
                textDocument: OptionalVersionedTextDocumentIdentifier(uri: document.uri, version: document.version),
                edits: [TextEdit(range: diagnostic.range, newText: replacement)])
            var shown = diagnostic
            if !client.diagnosticData { shown.data = nil }
            return CodeAction(
                title: "Self-MoA fix: \(diagnostic.message.prefix(80))", kind: CodeActionKinds.quickFix,
                diagnostics: [shown], isPreferred: client.codeActionIsPreferred ? true : nil,
                edit: client.documentChanges ? WorkspaceEdit(documentChanges: [edit]) : WorkspaceEdit(changes: [document.uri: edit.edits]))
        }
    }
}
