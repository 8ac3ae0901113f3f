import Testing

/// The one-shot actions check their options before they touch a file or a backend.
@Suite(.timeLimit(.minutes(1))) struct ActionCommandTests {
    @Test func anUnknownAnswerSourceIsRefusedByName() async throws {
        let result = try await SetupCommandTests.run(["complete", "--answer", "vote", "/nonexistent.py"], environment: [:])
        #expect(result.status != 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("--answer must be synthesis or central (got vote)"))
    }
}
