import JSON
import JSONRPC
import Testing

@Suite struct MessageTests {
    private func classify(_ text: String) throws -> Result<Message, InvalidMessage> {
        Message.classify(try JSONValue.parse(text))
    }

    @Test func request() throws {
        #expect(try classify(#"{"jsonrpc":"2.0","id":1,"method":"m","params":{"a":1}}"#)
            == .success(.request(id: .number(1), method: "m", params: ["a": 1])))
        #expect(try classify(#"{"jsonrpc":"2.0","id":"x","method":"m"}"#)
            == .success(.request(id: .string("x"), method: "m", params: nil)))
    }

    @Test func notificationWithNullParams() throws {
        #expect(try classify(#"{"jsonrpc":"2.0","method":"n","params":null}"#)
            == .success(.notification(method: "n", params: nil)))
    }

    @Test func missingJSONRPCIsInvalidAndKeepsTheID() throws {
        guard case .failure(let invalid) = try classify(#"{"id":7,"method":"m"}"#) else {
            Issue.record("accepted")
            return
        }
        #expect(invalid.id == .number(7))
        #expect(invalid.error.code == -32600)
    }

    @Test(arguments: [#"{"jsonrpc":"2.0","id":true,"method":"m"}"#, #"{"jsonrpc":"2.0","id":1.5,"method":"m"}"#,
                      #"{"jsonrpc":"2.0","id":{},"method":"m"}"#, #"{"jsonrpc":"2.0","id":[1],"method":"m"}"#])
    func idOfWrongTypeIsInvalidWithNullID(text: String) throws {
        guard case .failure(let invalid) = try classify(text) else {
            Issue.record("accepted \(text)")
            return
        }
        #expect(invalid.id == nil)
        #expect(invalid.error.code == -32600)
    }

    @Test func nonObjectIsInvalid() throws {
        guard case .failure(let invalid) = try classify("42") else {
            Issue.record("accepted")
            return
        }
        #expect(invalid.error.code == -32600)
    }

    @Test func scalarParamsAreInvalid() throws {
        guard case .failure(let invalid) = try classify(#"{"jsonrpc":"2.0","id":2,"method":"m","params":3}"#) else {
            Issue.record("accepted")
            return
        }
        #expect(invalid.error.code == -32600)
        #expect(invalid.id == .number(2))
    }

    @Test func responses() throws {
        #expect(try classify(#"{"jsonrpc":"2.0","id":3,"result":null}"#) == .success(.response(id: .number(3), result: .success(.null))))
        #expect(try classify(#"{"jsonrpc":"2.0","id":3,"error":{"code":-1,"message":"no"}}"#)
            == .success(.response(id: .number(3), result: .failure(ResponseError(code: -1, message: "no")))))
    }

    @Test func wireFormRoundTrips() throws {
        let message = Message.request(id: .string("a/b"), method: "workspace/applyEdit", params: ["uri": "file:///x"])
        let text = message.jsonValue.serialized()
        #expect(text.contains("file:///x"))
        #expect(try classify(text) == .success(message))
    }
}
