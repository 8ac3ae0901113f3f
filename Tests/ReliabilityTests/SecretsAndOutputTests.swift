import BackendStandIn
import Foundation
import JSON
import LSPTestSupport
import Testing

/// API keys never reach a log line, an error message or the protocol stream, at the most verbose
/// log level, whether requests succeed or fail; and stdout carries protocol frames only.
@Suite(.serialized, .timeLimit(.minutes(2))) struct SecretsAndOutputTests {
    static let key = "sk-reliability-7f3a9c1e5b2d4e6f8a0b1c2d3e4f5a6b"

    @Test func theKeyShowsNowhereInTheServersOutput() async throws {
        let session = try await StandInSession(
            requiredAPIKey: Self.key,
            settings: ["backend": ["apiKeyEnv": "SELFMOA_RELIABILITY_KEY"]],
            arguments: ["--log-level", "trace"],
            environment: ["SELFMOA_RELIABILITY_KEY": Self.key])
        let ok = try await session.explain()
        #expect(ok["result"]?["markdown"] != nil, "\(ok.serialized())")
        #expect(!session.standIn.generationRequests.isEmpty)
        // The key did go to the backend.
        #expect(session.standIn.generationRequests.allSatisfy { $0.authorization == "Bearer \(Self.key)" })
        for fault: StandInFault in [.unauthorized, .serverError, .modelNotFound, .garbageJSON, .contextOverflow] {
            try await session.standIn.setFaults([fault])
            let failed = try await session.explain()
            let message = failed["error"]?["message"]?.stringValue ?? ""
            // Garbage in the plain replies leaves the streamed draft to answer; the rest fail.
            #expect(!message.isEmpty || fault == .garbageJSON, "\(fault): \(failed.serialized())")
            #expect(!failed.serialized().contains(Self.key))
            #expect(!message.contains(Self.key), "\(fault): \(message)")
            if fault == .unauthorized { #expect(message.contains("SELFMOA_RELIABILITY_KEY"), "\(message)") }
        }
        try await session.finish()
        // Trace logging wrote plenty, none of it the key; nor did anything on stdout.
        #expect(session.server.stderr.text.utf8.count > 1_000)
        #expect(!session.server.stderr.text.contains(Self.key))
        #expect(!session.server.frames.map { $0.serialized() }.joined().contains(Self.key))
    }

    @Test func doctorReportsWithoutTheKey() async throws {
        let standIn = StandInBackend(requiredAPIKey: "a-different-key")
        try await standIn.start()
        defer { Task { await standIn.stop() } }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BinaryServer.binaryPath)
        process.arguments = ["doctor", "--backend-url", standIn.url, "--api-key-env", "SELFMOA_RELIABILITY_KEY", "--verbose"]
        var environment = ProcessInfo.processInfo.environment
        environment["SELFMOA_RELIABILITY_KEY"] = Self.key
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        #expect(process.terminationStatus != 0, "\(text)")
        #expect(text.contains("SELFMOA_RELIABILITY_KEY"), "\(text)")
        #expect(!text.contains(Self.key))
        #expect(standIn.requests.contains { $0.authorization == "Bearer \(Self.key)" })
    }
}
