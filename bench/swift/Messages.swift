/// LSP-shaped `Codable` messages the codec benchmark encodes and decodes, and the generators of
/// their JSON texts. The shapes mirror what an editor sends most (`didOpen` with a whole file,
/// `codeAction` with diagnostics) and what the server sends (`publishDiagnostics`).

struct Position: Codable, Equatable {
    var line: Int
    var character: Int
}

struct Range: Codable, Equatable {
    var start: Position
    var end: Position
}

struct Diagnostic: Codable, Equatable {
    var range: Range
    var severity: Int?
    var code: String?
    var source: String?
    var message: String
}

struct TextDocumentItem: Codable, Equatable {
    var uri: String
    var languageId: String
    var version: Int
    var text: String
}

struct DidOpenParams: Codable, Equatable {
    var textDocument: TextDocumentItem
}

struct TextDocumentIdentifier: Codable, Equatable {
    var uri: String
}

struct CodeActionContext: Codable, Equatable {
    var diagnostics: [Diagnostic]
    var only: [String]?
}

struct CodeActionParams: Codable, Equatable {
    var textDocument: TextDocumentIdentifier
    var range: Range
    var context: CodeActionContext
}

struct PublishDiagnosticsParams: Codable, Equatable {
    var uri: String
    var version: Int?
    var diagnostics: [Diagnostic]
}

/// A JSON-RPC notification or request with typed params.
struct Message<Params: Codable & Equatable>: Codable, Equatable {
    var jsonrpc: String
    var id: Int?
    var method: String
    var params: Params
}

enum Corpus {
    /// Source text of about `bytes` UTF-8 bytes: quotes, backslashes, tabs, newlines and a little
    /// non-ASCII, which is what makes string escaping work.
    static func sourceText(bytes: Int) -> String {
        var text = ""
        text.reserveCapacity(bytes + 512)
        var index = 0
        while text.utf8.count < bytes {
            text += """
                def parse_line_\(index)(line: str) -> dict:
                    \"\"\"Splits 'key = value' pairs; naïve about quotes — see issue #\(index).\"\"\"
                    fields = {}
                    for part in line.split(";"):
                    \tkey, _, value = part.partition("=")
                        fields[key.strip()] = value.strip().replace("\\\\", "/")
                    return fields


                """
            index += 1
        }
        return text
    }

    static func diagnostic(_ k: Int) -> Diagnostic {
        Diagnostic(
            range: Range(start: Position(line: k, character: 4), end: Position(line: k, character: 28)),
            severity: 1 + k % 4,
            code: "selfmoa.review",
            source: "selfmoa",
            message: "`value` may be None here: check it before calling .strip() (line \(k))")
    }

    static func didOpen(bytes: Int) -> Message<DidOpenParams> {
        Message(
            jsonrpc: "2.0", id: nil, method: "textDocument/didOpen",
            params: DidOpenParams(
                textDocument: TextDocumentItem(
                    uri: "file:///home/user/project/src/parser.py", languageId: "python", version: 1,
                    text: sourceText(bytes: bytes))))
    }

    static func codeAction(diagnostics: Int) -> Message<CodeActionParams> {
        Message(
            jsonrpc: "2.0", id: 42, method: "textDocument/codeAction",
            params: CodeActionParams(
                textDocument: TextDocumentIdentifier(uri: "file:///home/user/project/src/parser.py"),
                range: Range(start: Position(line: 10, character: 0), end: Position(line: 24, character: 0)),
                context: CodeActionContext(
                    diagnostics: (0..<diagnostics).map(diagnostic), only: ["source.selfmoa.explain", "quickfix"])))
    }

    static func publishDiagnostics(count: Int) -> Message<PublishDiagnosticsParams> {
        Message(
            jsonrpc: "2.0", id: nil, method: "textDocument/publishDiagnostics",
            params: PublishDiagnosticsParams(
                uri: "file:///home/user/project/src/parser.py", version: 7,
                diagnostics: (0..<count).map(diagnostic)))
    }
}
