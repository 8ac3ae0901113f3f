import JSON
import JSONRPC

extension LanguageServer {
    /// Lists the actions (ask only for clients that ask their user for the question) for the range (and quick fixes for review findings in it). Never
    /// calls the model: the work happens when the client executes the command.
    func codeActions(_ params: CodeActionParams) throws(ResponseError) -> JSONValue {
        let document = try document(params.textDocument.uri)
        let clamped = LSPRange(
            start: document.position(of: document.offset(of: params.range.start, encoding: encoding), encoding: encoding),
            end: document.position(of: document.offset(of: params.range.end, encoding: encoding), encoding: encoding))
        let arguments = ActionArguments(
            textDocument: OptionalVersionedTextDocumentIdentifier(uri: document.uri, version: document.version),
            range: clamped)
        let argumentValue = try encode(arguments)
        var actions: [JSONValue] = []
        for fix in quickFixes(for: document, in: clamped) where CodeActionKinds.matches(CodeActionKinds.quickFix, only: params.context.only) {
            actions.append(try encode(fix))
        }
        for kind in ActionKind.allCases where kind != .ask || client.selfmoaAsk {
            let codeActionKind = "source.selfmoa.\(kind.rawValue)"
            guard CodeActionKinds.matches(codeActionKind, only: params.context.only) else { continue }
            let command = Command(title: kind.title, command: kind.command, arguments: [argumentValue])
            if !client.codeActionLiterals {
                actions.append(try encode(command))
            } else if client.codeActionResolvesCommand {
                let data: JSONValue = ["command": .string(kind.command), "arguments": [argumentValue]]
                actions.append(try encode(CodeAction(title: kind.title, kind: codeActionKind, data: data)))
            } else {
                actions.append(try encode(CodeAction(title: kind.title, kind: codeActionKind, command: command)))
            }
        }
        return .array(actions)
    }

    /// Fills in the command of an action listed without one.
    func resolveCodeAction(_ action: CodeAction) throws(ResponseError) -> JSONValue {
        var action = action
        if action.command == nil, let data = action.data, let name = data["command"]?.stringValue,
            ActionKind(command: name) != nil
        {
            action.command = Command(title: action.title, command: name, arguments: data["arguments"]?.arrayValue)
        }
        return try encode(action)
    }
}
