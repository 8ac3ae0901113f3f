import Foundation
import Testing

/// `selfmoa-lsp setup` runs the setup script, streams its output to stderr (never stdout) and
/// exits with its status.
@Suite(.timeLimit(.minutes(1))) struct SetupCommandTests {
    static func run(_ arguments: [String], environment: [String: String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await TestSupport.offPool { try runBlocking(arguments, environment: environment) }
    }

    static func runBlocking(_ arguments: [String], environment: [String: String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestSupport.executable("selfmoa-lsp"))
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }

    @Test func runsTheScriptAndExitsWithItsStatus() async throws {
        let script = try TestSupport.temporaryDirectory() + "/setup.sh"
        try "echo \"fake setup: $1\"\necho \"progress\" >&2\nexit 3\n".write(toFile: script, atomically: true, encoding: .utf8)
        let result = try await Self.run(["setup", "model"], environment: ["SELFMOA_SETUP_SCRIPT": script])
        #expect(result.status == 3)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("fake setup: model"))
        #expect(result.stderr.contains("progress"))
    }

    @Test func rejectsAnUnknownPart() async throws {
        let result = try await Self.run(["setup", "everything"], environment: [:])
        #expect(result.status != 0)
        #expect(result.stderr.contains("unknown part 'everything'"))
    }

    /// The real script's step `part`, in a cache where its model is already in place (a sparse
    /// file of the right size, marked verified), so the step only checks it and returns.
    private static func checkInPlace(part: String, file: String, bytes: UInt64) async throws {
        let cache = try TestSupport.temporaryDirectory()
        let models = cache + "/selfmoa-lsp/models"
        try FileManager.default.createDirectory(atPath: models, withIntermediateDirectories: true)
        let model = models + "/" + file
        #expect(FileManager.default.createFile(atPath: model, contents: nil))
        let handle = try #require(FileHandle(forWritingAtPath: model))
        try handle.truncate(atOffset: bytes)
        try handle.close()
        #expect(FileManager.default.createFile(atPath: model + ".verified", contents: Data("ok\n".utf8)))

        let result = try await run(["setup", part], environment: ["XDG_CACHE_HOME": cache, "SELFMOA_SETUP_SCRIPT": ""])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("model present at \(model)"))
        #expect(result.stdout.isEmpty)
    }

    @Test func findsTheScriptOfItsSourceTree() async throws {
        try await Self.checkInPlace(part: "model", file: "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf", bytes: 491_400_064)
    }

    @Test func theLargerModelIsAPartOfItsOwn() async throws {
        try await Self.checkInPlace(part: "model-1.5b", file: "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf", bytes: 1_117_320_768)
    }
}
