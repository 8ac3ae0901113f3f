import BackendStandIn
import Foundation
import JSON
import Testing

@testable import ModelBackend

@Suite(.timeLimit(.minutes(1))) struct BackendDoctorTests {
    static func diagnose(_ standIn: StandInBackend, environment: [String: String] = [:], apiKeyEnv: String? = nil) async -> BackendDiagnosis {
        await BackendDoctor.diagnose(
            configuration: BackendConfiguration(url: standIn.url, apiKeyEnv: apiKeyEnv, timeouts: TestSupport.quick),
            environment: environment,
            logger: TestSupport.logger
        )
    }

    @Test func aFullServerPassesEveryCheck() async throws {
        try await TestSupport.withStandIn(requiredAPIKey: "k-1") { standIn async throws in
            let diagnosis = await Self.diagnose(standIn, environment: ["MY_KEY": "k-1"], apiKeyEnv: "MY_KEY")
            #expect(diagnosis.works)
            #expect(diagnosis.checks.map(\.name) == ["api key", "reachable", "context", "answer", "n", "tokenize", "infill"])
            #expect(diagnosis.checks.allSatisfy { $0.status == .ok })
            #expect(diagnosis.text().contains("the backend works."))
            #expect(!diagnosis.text().contains("k-1"))
            let json = try JSONValue.parse(diagnosis.json())
            #expect(json["works"] == true)
            #expect(json["capabilities"]?["slots"] == 4)
            #expect(json["checks"]?.arrayValue?.count == 7)
        }
    }

    @Test func missingExtrasAreNotFailures() async throws {
        try await TestSupport.withStandIn(faults: [.noExtras, .ignoresN]) { standIn async throws in
            let diagnosis = await Self.diagnose(standIn)
            #expect(diagnosis.works)
            let missing = diagnosis.checks.filter { $0.status == .missing }.map(\.name)
            #expect(missing == ["n", "tokenize", "infill"])
        }
    }

    @Test func anUnreachableServerFails() async throws {
        try await TestSupport.withStandIn(faults: [.down]) { standIn async throws in
            let diagnosis = await Self.diagnose(standIn)
            #expect(!diagnosis.works)
            #expect(diagnosis.checks.last?.name == "reachable")
            #expect(diagnosis.checks.last?.status == .failed)
            #expect(diagnosis.text().contains("nothing answers at"), "\(diagnosis.text())")
        }
    }

    @Test func aRefusedKeyFails() async throws {
        try await TestSupport.withStandIn(requiredAPIKey: "right") { standIn async throws in
            let diagnosis = await Self.diagnose(standIn, environment: ["MY_KEY": "wrong"], apiKeyEnv: "MY_KEY")
            #expect(!diagnosis.works)
            #expect(diagnosis.text().contains("MY_KEY"))
            #expect(!diagnosis.text().contains("wrong"))
        }
    }

    @Test func theEnvironmentSelectsTheURL() async throws {
        try await TestSupport.withStandIn { standIn async throws in
            let diagnosis = await BackendDoctor.diagnose(
                configuration: BackendConfiguration(timeouts: TestSupport.quick),
                environment: ["SELFMOA_BACKEND_URL": standIn.url],
                logger: TestSupport.logger
            )
            #expect(diagnosis.backend == standIn.url)
            #expect(diagnosis.works)
        }
    }

    @Test func aMissingEmbeddedDefaultFailsWithSetupAdvice() async throws {
        let empty = try TestSupport.temporaryDirectory()
        let diagnosis = await BackendDoctor.diagnose(
            configuration: BackendConfiguration(),
            environment: ["XDG_CACHE_HOME": empty, "HOME": empty],
            logger: TestSupport.logger
        )
        #expect(!diagnosis.works)
        #expect(diagnosis.checks.first?.name == "setup")
        #expect(diagnosis.text().contains("make setup"))
    }

    @Test func theCommandPrintsTheReportAndExitsByIt() async throws {
        let standIn = StandInBackend()
        try await standIn.start()
        let lsp = try TestSupport.executable("selfmoa-lsp")
        let good = try await Self.run(lsp, ["doctor", "--backend-url", standIn.url, "--json"])
        #expect(good.status == 0)
        #expect(try JSONValue.parse(good.output)["works"] == true)
        await standIn.stop()
        let bad = try await Self.run(lsp, ["doctor", "--backend-url", standIn.url])
        #expect(bad.status == 1)
        #expect(bad.output.contains("[FAIL] reachable"))
    }

    static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        try await TestSupport.offPool { try runBlocking(executable, arguments) }
    }

    static func runBlocking(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
