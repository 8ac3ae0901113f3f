import BackendStandIn
import Foundation
import JSON
import Testing

@testable import ModelBackend

/// The stand-in itself: its script format, fault names and executable, which other test suites
/// of the project rely on.
@Suite(.timeLimit(.minutes(1))) struct StandInBackendTests {
    @Test func readsAScriptFromJSON() throws {
        let json = try JSONValue.parse(
            """
            {"rules": [{"contains": "fibonacci", "answer": "Fib {seed}"},
                       {"contains": "reviewer", "in": "system", "answer": "No findings."}],
             "default": "Default {index}", "defaultInfill": "pass", "contextTokens": 100, "slots": 2,
             "model": "m", "tokenDelayMs": 5}
            """
        )
        let script = try StandInScript(json: json)
        #expect(script.rules == [
            StandInRule(contains: "fibonacci", answer: "Fib {seed}"),
            StandInRule(contains: "reviewer", in: .system, answer: "No findings."),
        ])
        #expect(script.defaultAnswer == "Default {index}")
        #expect(script.defaultInfill == "pass")
        #expect(script.contextTokens == 100)
        #expect(script.slots == 2)
        #expect(script.model == "m")
        #expect(script.tokenDelay == .milliseconds(5))
        #expect(throws: StandInScriptError.self) { try StandInScript(json: ["rules": [["contains": "x"]]]) }
        #expect(throws: StandInScriptError.self) { try StandInScript(json: ["rules": [["contains": "x", "answer": "y", "in": "nowhere"]]]) }
    }

    @Test func parsesFaultNames() {
        #expect(StandInFault(argument: "down") == .down)
        #expect(StandInFault(argument: "slow-first-token=1.5") == .slowFirstToken(.milliseconds(1500)))
        #expect(StandInFault(argument: "fail-seeds=1,3") == .failSeeds([1, 3]))
        #expect(StandInFault(argument: "fail-calls=2") == .failCalls([2]))
        #expect(StandInFault(argument: "no-extras") == .noExtras)
        #expect(StandInFault(argument: "slow-first-token") == nil)
        #expect(StandInFault(argument: "bogus") == nil)
        for name in StandInFault.argumentNames {
            let example = name.replacingOccurrences(of: "SECONDS", with: "1")
                .replacingOccurrences(of: "S1,S2", with: "1,2").replacingOccurrences(of: "N1,N2", with: "1,2")
            #expect(StandInFault(argument: example) != nil, "\(example)")
        }
    }

    @Test func streamsSeveralChoicesInterleaved() async throws {
        try await TestSupport.withStandIn { standIn async throws in
            let transport = HTTPTransport(url: standIn.url, apiKey: nil, apiKeyEnv: nil, timeouts: TestSupport.quick, logger: TestSupport.logger)
            let body: JSONValue = ["messages": [["role": "user", "content": "hi"]], "n": 2, "seed": 3, "stream": true]
            let reply = try await transport.send(.POST, "/v1/chat/completions", body: body, limit: .seconds(5))
            var parser = SSEParser()
            let events = try parser.feed(reply.body) + parser.finish()
            #expect(events.last?.data == "[DONE]")
            var texts = ["", ""]
            for event in events.dropLast() {
                let json = try JSONValue.parse(event.data)
                for choice in json["choices"]?.arrayValue ?? [] {
                    let index = Int(choice["index"]?.intValue ?? -1)
                    texts[index] += choice["delta"]?["content"]?.stringValue ?? ""
                }
            }
            #expect(texts == ["Stand-in answer 0 (seed 3).", "Stand-in answer 1 (seed 4)."])
        }
    }

    @Test func answersUnknownPathsWith404AndRecordsEverything() async throws {
        try await TestSupport.withStandIn { standIn async throws in
            let transport = HTTPTransport(url: standIn.url, apiKey: "abc", apiKeyEnv: nil, timeouts: TestSupport.quick, logger: TestSupport.logger)
            let reply = try await transport.send(.GET, "/nowhere?x=1", limit: .seconds(5))
            #expect(reply.status == 404)
            let recorded = try #require(standIn.requests.last)
            #expect(recorded.path == "/nowhere")
            #expect(recorded.method == "GET")
            #expect(recorded.authorization == "Bearer abc")
            #expect(recorded.completed)
        }
    }

    @Test func theExecutablePrintsItsPortAndEndsWithItsStdin() async throws {
        let rules = try TestSupport.temporaryDirectory() + "/rules.json"
        try #"{"rules": [{"contains": "ping", "answer": "pong"}]}"#.write(toFile: rules, atomically: true, encoding: .utf8)
        let process = try RunningProcess(
            try TestSupport.executable("selfmoa-standin-backend"),
            ["--port", "0", "--rules", rules, "--fault", "ignore-n"]
        )
        let line = try await process.line(startingWith: "PORT ")
        let port = try #require(Int(line.dropFirst(5)))
        let model = OpenAICompatibleModel(url: "http://127.0.0.1:\(port)", timeouts: TestSupport.quick, logger: TestSupport.logger)
        let samples = try await model.complete(
            ChatRequest(messages: [.user("ping")], options: SamplingOptions(temperature: 0, maxTokens: 5), n: 2)
        )
        #expect(samples.map(\.text) == ["pong", "pong"])
        #expect(try await model.capabilities().multipleSamples == false)

        try (process.process.standardInput as? Pipe)?.fileHandleForWriting.close()
        let ended = await TestSupport.eventually(within: .seconds(10)) { !process.process.isRunning }
        #expect(ended, "the stand-in kept running after its stdin closed")
    }
}
