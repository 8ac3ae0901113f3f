import JSON

/// LSP-shaped types used across the coding tests.
struct Position: Codable, Equatable {
    var line: Int
    var character: Int
}

struct Range: Codable, Equatable {
    var start: Position
    var end: Position
}

struct TextDocumentIdentifier: Codable, Equatable {
    var uri: String
}

enum Severity: Int, Codable, Equatable {
    case error = 1, warning, information, hint
}

enum ActionKind: String, Codable, Equatable {
    case quickFix = "quickfix"
    case refactor
}

/// An enum with payloads, coded with the synthesised nested containers.
enum Edit: Codable, Equatable {
    case insert(at: Position, text: String)
    case delete(Range)
    case nothing
}

struct Diagnostic: Codable, Equatable {
    var range: Range
    var severity: Severity?
    var code: String?
    var message: String
    var tags: [Int]?
    var data: JSONValue?
}

struct CodeActionParams: Codable, Equatable {
    var textDocument: TextDocumentIdentifier
    var range: Range
    var diagnostics: [Diagnostic]
    var only: [ActionKind]?
    var edits: [Edit]
    var headers: [String: String]
    var counts: [String: [Int]]
    var nested: [[Position?]]
    var flag: Bool
    var ratio: Double
    var smallRatio: Float?
    var raw: JSONValue
}

extension CodeActionParams {
    static let sample = CodeActionParams(
        textDocument: TextDocumentIdentifier(uri: "file:///home/me/a b/main.swift"),
        range: Range(start: Position(line: 1, character: 2), end: Position(line: 3, character: 4)),
        diagnostics: [
            Diagnostic(
                range: Range(start: Position(line: 0, character: 0), end: Position(line: 0, character: 5)),
                severity: .warning,
                code: nil,
                message: "unused \"x\" 😀",
                tags: [1, 2],
                data: ["fix": ["a", 1, nil, 2.5]]
            ),
            Diagnostic(
                range: Range(start: Position(line: 9, character: 1), end: Position(line: 9, character: 1)),
                severity: nil,
                code: "E1",
                message: "",
                tags: nil,
                data: nil
            ),
        ],
        only: [.quickFix, .refactor],
        edits: [.insert(at: Position(line: 2, character: 0), text: "\tx\n"), .delete(Range(start: Position(line: 5, character: 0), end: Position(line: 6, character: 0))), .nothing],
        headers: ["Content-Type": "application/json", "a.b": "c"],
        counts: ["x": [], "y": [Int.max, Int.min, 0]],
        nested: [[nil, Position(line: 1, character: 1)], []],
        flag: true,
        ratio: 0.1,
        smallRatio: 0.25,
        raw: ["id": 7, "list": [true, false, nil], "deep": ["x": ["y": "z"]]]
    )
}
