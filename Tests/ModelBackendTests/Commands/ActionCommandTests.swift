import BackendStandIn
import Foundation
import JSON
import Testing

/// The one-shot actions as a user runs them: the real binary, its options, its output.
@Suite(.timeLimit(.minutes(1))) struct ActionCommandTests {
    @Test func anUnknownAnswerSourceIsRefusedByName() async throws {
        let result = try await SetupCommandTests.run(["complete", "--answer", "vote", "/nonexistent.py"], environment: [:])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("--answer must be synthesis or central (got vote)"))
    }

    /// `--first-token-timeout` is the client's `backend.firstTokenTimeout` for one command: a
    /// backend slower than it gets the timeout's message, one within it answers.
    @Test func theFirstTokenTimeoutIsTheUsers() async throws {
        let refused = try await SetupCommandTests.run(["explain", "--first-token-timeout", "0", "/nonexistent.py"], environment: [:])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("--first-token-timeout must be at least 1 second (got 0)"))

        let standIn = StandInBackend(script: StandInScript(defaultAnswer: "It adds."))
        try await standIn.start()
        defer { Task { await standIn.stop() } }
        try await standIn.setFaults([.slowFirstToken(.seconds(3))])
        let file = try TestSupport.temporaryDirectory() + "/add.py"
        try "def add(a, b):\n    return a + b\n".write(toFile: file, atomically: true, encoding: .utf8)
        let base = ["explain", file, "--backend-url", standIn.url, "--mode", "single", "--quiet"]
        let short = try await SetupCommandTests.run(base + ["--first-token-timeout", "1"], environment: [:])
        #expect(short.status != 0)
        #expect(short.stderr.contains("no first token within 1 s"), "\(short.stderr)")
        let long = try await SetupCommandTests.run(base + ["--first-token-timeout", "30"], environment: [:])
        #expect(long.status == 0, "\(long.stderr)")
        #expect(long.stdout.contains("It adds."))
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func completeSaysWhichImportsTheCodeNeeds() async throws {
        let standIn = StandInBackend(script: StandInScript(defaultAnswer: "return math.fsum(xs)", defaultInfill: "return math.fsum(xs)"))
        try await standIn.start()
        defer { Task { await standIn.stop() } }
        let file = try TestSupport.temporaryDirectory() + "/total.py"
        try "import json\n\n\ndef total(xs):\n    \n".write(toFile: file, atomically: true, encoding: .utf8)
        let base = ["complete", file, "--line", "5", "--backend-url", standIn.url, "--samples", "2"]

        let plain = try await SetupCommandTests.run(base, environment: [:])
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.contains("math.fsum(xs)"))
        #expect(!plain.stdout.contains("import math"))
        #expect(plain.stderr.contains("the code needs import math: add it before line 2"))

        let json = try await SetupCommandTests.run(base + ["--json"], environment: [:])
        #expect(json.status == 0, "\(json.stderr)")
        let output = try JSONValue.parse(Array(json.stdout.utf8))
        #expect(output["imports"] == ["offset": 12, "line": 2, "text": "import math\n", "statements": ["import math"]])
    }
}
