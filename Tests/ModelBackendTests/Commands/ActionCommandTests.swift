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
