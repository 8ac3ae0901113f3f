import BackendStandIn
import Foundation
import Testing

@testable import ModelBackend

/// The managed server's life cycle, with `selfmoa-standin-backend` standing in for
/// `llama-server` (it accepts the same command line and `LLAMA_API_KEY`).
@Suite(.timeLimit(.minutes(2))) struct ManagedLlamaServerTests {
    static func configuration(logs: String, extra: [String] = [], startTimeout: Duration = .seconds(20)) throws -> ManagedLlamaServer.Configuration {
        ManagedLlamaServer.Configuration(
            executable: try TestSupport.executable("selfmoa-standin-backend"),
            modelPath: "/dev/null",
            slots: 3,
            contextPerSlot: 2048,
            startTimeout: startTimeout,
            logDirectory: logs,
            extraArguments: extra
        )
    }

    static let request = ChatRequest(messages: [.user("hello")], options: SamplingOptions(temperature: 0, seed: 5, maxTokens: 20))

    @Test func startsLazilyOnceAndStopsOnShutdown() async throws {
        let logs = try TestSupport.temporaryDirectory()
        let server = ManagedLlamaServer(configuration: try Self.configuration(logs: logs), logger: TestSupport.logger)
        let model = ManagedLanguageModel(server: server, timeouts: TestSupport.quick, logger: TestSupport.logger)
        #expect(await server.processID == nil)

        // Concurrent first calls share one start.
        async let a = model.complete(Self.request)
        async let b = model.countTokens("hello world")
        async let c = model.capabilities()
        let (samples, tokens, capabilities) = try await (a, b, c)
        #expect(samples.first?.text == "Stand-in answer 0 (seed 5).")
        #expect(tokens == StandInScript.tokenCount("hello world"))
        #expect(capabilities.slots == 3)
        #expect(capabilities.contextTokens == 2048)
        #expect(capabilities.multipleSamples)

        let pid = try #require(await server.processID)
        let endpoint = try await server.endpoint()
        #expect(endpoint.processID == pid)
        #expect(endpoint.url.hasPrefix("http://127.0.0.1:"))
        let log = try String(contentsOfFile: server.logFile, encoding: .utf8)
        #expect(log.components(separatedBy: "starts llama-server").count == 2, "started more than once:\n\(log)")

        // The key goes through the environment, not the command line, and shows nowhere.
        let key = endpoint.apiKey.value
        #expect(key.count == 64)
        let commandLine = try String(decoding: Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")), as: UTF8.self)
        #expect(!commandLine.contains(key))
        #expect(commandLine.contains("--kv-unified"))
        #expect(!"\(endpoint)".contains(key))
        #expect(!String(reflecting: endpoint).contains(key))
        #expect(!log.contains(key))

        await server.shutdown()
        #expect(await TestSupport.eventually { TestSupport.isDead(pid) })
        #expect(!TestSupport.isListening(endpoint.port))
        let after = await TestSupport.error { try await model.complete(Self.request) }
        #expect(after?.code == .serverCrashed)
    }

    @Test func requestsWithoutTheKeyAreRefused() async throws {
        let logs = try TestSupport.temporaryDirectory()
        let server = ManagedLlamaServer(configuration: try Self.configuration(logs: logs), logger: TestSupport.logger)
        let endpoint = try await server.endpoint()
        let stranger = OpenAICompatibleModel(url: endpoint.url, timeouts: TestSupport.quick, logger: TestSupport.logger)
        let error = await TestSupport.error { try await stranger.complete(Self.request) }
        #expect(error?.code == .unauthorized)
        await server.shutdown()
    }

    @Test func notSetUpSaysToRunSetup() async throws {
        let logs = try TestSupport.temporaryDirectory()
        var configuration = try Self.configuration(logs: logs)
        configuration.executable = logs + "/no-such-llama-server"
        let model = ManagedLanguageModel(
            server: ManagedLlamaServer(configuration: configuration, logger: TestSupport.logger),
            timeouts: TestSupport.quick,
            logger: TestSupport.logger
        )
        let error = await TestSupport.error { try await model.complete(Self.request) }
        #expect(error?.code == .notSetUp)
        #expect(error?.message.contains("make setup") == true)

        let missing = EmbeddedDefault(cacheDirectory: logs + "/cache")
        #expect(missing.missingParts.count == 2)
        #expect(throws: ModelBackendError(.notSetUp, "")) { try missing.check() }
    }

    @Test func aServerThatNeverAnswersTimesOutAndIsStopped() async throws {
        let logs = try TestSupport.temporaryDirectory()
        let server = ManagedLlamaServer(
            configuration: try Self.configuration(logs: logs, extra: ["--fault", "down"], startTimeout: .seconds(2)),
            logger: TestSupport.logger
        )
        let error = await TestSupport.error { try await server.endpoint() }
        #expect(error?.code == .timeout, "\(error?.message ?? "")")
        #expect(error?.message.contains("llama-server did not load the model") == true)
        #expect(await server.processID == nil)
        let log = try String(contentsOfFile: server.logFile, encoding: .utf8)
        let started = log.split(separator: "\n").filter { $0.contains("starts llama-server") }.count
        #expect(started == 1)
        await server.shutdown()
    }

    @Test func shutdownDuringAStartStopsIt() async throws {
        let logs = try TestSupport.temporaryDirectory()
        let server = ManagedLlamaServer(
            configuration: try Self.configuration(logs: logs, extra: ["--fault", "down"], startTimeout: .seconds(60)),
            logger: TestSupport.logger
        )
        let call = Task { try await server.endpoint() }
        let started = await TestSupport.eventually {
            ((try? String(contentsOfFile: server.logFile, encoding: .utf8)) ?? "").contains("PORT ")
        }
        #expect(started)
        let clock = ContinuousClock()
        let before = clock.now
        await server.shutdown()
        let result = await call.result
        #expect(clock.now - before < .seconds(10))
        guard case .failure(let error) = result else {
            Issue.record("the start succeeded after shutdown")
            return
        }
        #expect((error as? ModelBackendError)?.code == .serverCrashed)
        #expect(await server.processID == nil)
        // A clean shutdown leaves no log behind.
        #expect(!FileManager.default.fileExists(atPath: server.logFile))
    }

    @Test func restartsOnceAfterACrash() async throws {
        let logs = try TestSupport.temporaryDirectory()
        // Calls 1 and 2 are the capability probes (n and infill); call 3 crashes, once.
        let server = ManagedLlamaServer(
            configuration: try Self.configuration(logs: logs, extra: ["--crash-on-call", "3", "--crash-marker", logs + "/crashed"]),
            logger: TestSupport.logger
        )
        let model = ManagedLanguageModel(server: server, timeouts: TestSupport.quick, logger: TestSupport.logger)
        let first = try await server.endpoint().processID
        let error = await TestSupport.error { try await model.complete(Self.request) }
        #expect(error?.code == .serverCrashed)
        #expect(error?.message.contains("exited with status 70") == true)
        #expect(error?.message.contains("restarts on the next request") == true)

        let samples = try await model.complete(Self.request)
        #expect(samples.count == 1)
        let second = try #require(await server.processID)
        #expect(second != first)
        await server.shutdown()
    }

    @Test func givesUpAfterASecondCrashInARow() async throws {
        let logs = try TestSupport.temporaryDirectory()
        let server = ManagedLlamaServer(
            configuration: try Self.configuration(logs: logs, extra: ["--crash-on-call", "3"]),
            logger: TestSupport.logger
        )
        let model = ManagedLanguageModel(server: server, timeouts: TestSupport.quick, logger: TestSupport.logger)
        let first = await TestSupport.error { try await model.complete(Self.request) }
        #expect(first?.code == .serverCrashed)
        let second = await TestSupport.error { try await model.complete(Self.request) }
        #expect(second?.code == .serverCrashed)
        let third = await TestSupport.error { try await model.complete(Self.request) }
        #expect(third?.code == .serverCrashed)
        #expect(third?.message.contains("failed again after a restart") == true)
        let log = try String(contentsOfFile: server.logFile, encoding: .utf8)
        #expect(log.components(separatedBy: "starts llama-server").count == 3)
        await server.shutdown()
    }

    @Test func diesWhenItsOwnerIsKilled() async throws {
        let logs = try TestSupport.temporaryDirectory()
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CACHE_HOME"] = logs
        let owner = try RunningProcess(
            try TestSupport.executable("selfmoa-lsp"),
            [
                "doctor", "--hold", "--slots", "2", "--context-per-slot", "1024",
                "--server-executable", try TestSupport.executable("selfmoa-standin-backend"), "--model-path", "/dev/null",
            ],
            environment: environment
        )
        let line = try await owner.line(startingWith: "HOLD ")
        let fields = line.split(separator: " ")
        let port = try #require(Int(fields[1]))
        let pid = try #require(Int32(fields[2]))
        #expect(TestSupport.isListening(port))
        #expect(!TestSupport.isDead(pid))

        owner.kill(SIGKILL)
        await owner.waitForExit()
        let gone = await TestSupport.eventually(within: .seconds(10)) { TestSupport.isDead(pid) && !TestSupport.isListening(port) }
        #expect(gone, "the server (pid \(pid), port \(port)) outlived its SIGKILLed owner")
    }

    @Test func argumentsSizeTheSlotsAndTheUnifiedCache() throws {
        let configuration = ManagedLlamaServer.Configuration(
            executable: "/x/llama-server", modelPath: "/m.gguf", slots: 6, contextPerSlot: 4096, threads: 2, logDirectory: "/tmp"
        )
        let arguments = configuration.arguments(port: 8080)
        #expect(
            Array(arguments.prefix(16)) == [
                "-m", "/m.gguf", "--host", "127.0.0.1", "--port", "8080", "-np", "6", "--kv-unified",
                "--kv-unified-per-slot", "4096", "-c", "24576", "--no-webui", "-t", "2",
            ]
        )
        // Configured generation threads leave prompt processing on every core (at least as many).
        let batch = try #require(arguments.firstIndex(of: "-tb"))
        #expect((Int(arguments[batch + 1]) ?? 0) >= 2)
    }

    @Test func withoutConfiguredThreadsGenerationLeavesACoreFree() {
        let configuration = ManagedLlamaServer.Configuration(executable: "/x/llama-server", modelPath: "/m.gguf", logDirectory: "/tmp")
        let arguments = configuration.arguments(port: 8080)
        #expect(arguments.contains("-t") && arguments.contains("-tb"))
        #expect(ManagedLlamaServer.Configuration.defaultThreads(cores: 2) == (1, 2))
        #expect(ManagedLlamaServer.Configuration.defaultThreads(cores: 8) == (7, 8))
        #expect(ManagedLlamaServer.Configuration.defaultThreads(cores: 1) == (1, 1))
    }

    @Test func theCacheFollowsXDG() {
        #expect(EmbeddedDefault(environment: ["XDG_CACHE_HOME": "/xdg", "HOME": "/home/u"]).cacheDirectory == "/xdg/selfmoa-lsp")
        #expect(EmbeddedDefault(environment: ["HOME": "/home/u"]).cacheDirectory == "/home/u/.cache/selfmoa-lsp")
        let layout = EmbeddedDefault(cacheDirectory: "/c")
        #expect(layout.serverExecutable == "/c/llama/11434.0.0/bin/llama-server")
        #expect(layout.modelPath == "/c/models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf")
        #expect(layout.modelMarker == "/c/models/qwen2.5-coder-0.5b-instruct-q4_k_m.gguf.verified")
    }
}
