import Foundation
import Testing

@testable import ModelBackend

/// The embedded backend's model catalogue and its routing of requests to one managed server per
/// model, with `selfmoa-standin-backend` installed as the cache's `llama-server`.
@Suite(.timeLimit(.minutes(2))) struct EmbeddedModelsTests {
    /// A cache laid out as setup leaves it, with the stand-in as llama-server and empty model
    /// files for `models`.
    static func cache(with models: [EmbeddedModel]) throws -> EmbeddedDefault {
        let layout = EmbeddedDefault(cacheDirectory: try TestSupport.temporaryDirectory() + "/selfmoa-lsp")
        let files = FileManager.default
        try files.createDirectory(atPath: layout.binDirectory, withIntermediateDirectories: true)
        try files.createSymbolicLink(atPath: layout.serverExecutable, withDestinationPath: try TestSupport.executable("selfmoa-standin-backend"))
        #expect(files.createFile(atPath: layout.engineMarker, contents: nil))
        try files.createDirectory(atPath: layout.cacheDirectory + "/models", withIntermediateDirectories: true)
        for model in models {
            #expect(files.createFile(atPath: layout.modelPath(model), contents: nil))
            #expect(files.createFile(atPath: layout.modelMarker(model), contents: nil))
        }
        return layout
    }

    static func backend(_ layout: EmbeddedDefault, model: String? = nil) -> EmbeddedModels {
        EmbeddedModels(
            layout: layout, model: model, options: EmbeddedServerOptions(slots: 3, contextPerSlot: 2048),
            contextTokens: nil, timeouts: TestSupport.quick, logger: TestSupport.logger
        )
    }

    static func request(model: String? = nil) -> ChatRequest {
        ChatRequest(messages: [.user("hello")], options: SamplingOptions(temperature: 0, seed: 5, maxTokens: 20, model: model))
    }

    @Test func namesAreMatchedLoosely() {
        #expect(EmbeddedModel.named("qwen2.5-coder-1.5b") == .qwenCoder15B)
        #expect(EmbeddedModel.named("Qwen2.5-Coder-1.5B-Instruct") == .qwenCoder15B)
        #expect(EmbeddedModel.named("qwen2.5-coder-0.5b-instruct-q4_k_m.gguf") == .qwenCoder05B)
        #expect(EmbeddedModel.named("gpt-4o") == nil)
        #expect(EmbeddedModel.catalogue.first == .qwenCoder05B)
        #expect(EmbeddedDefault(cacheDirectory: "/c").modelPath(.qwenCoder15B) == "/c/models/qwen2.5-coder-1.5b-instruct-q4_k_m.gguf")
    }

    @Test func theAggregatorModelRunsOnASecondServerStartedOnlyWhenNamed() async throws {
        let layout = try Self.cache(with: [.qwenCoder05B, .qwenCoder15B])
        let backend = Self.backend(layout)
        #expect(backend.model == .qwenCoder05B)

        _ = try await backend.complete(Self.request())
        _ = try await backend.complete(Self.request(model: "qwen2.5-coder-0.5b"))
        #expect(backend.servers.count == 1, "a request for the main model started another server")
        let main = try #require(await backend.server.processID)

        let answer = try await backend.complete(Self.request(model: "qwen2.5-coder-1.5b"))
        #expect(answer.first?.text.isEmpty == false)
        var streamed = ""
        for try await event in backend.stream(Self.request(model: "Qwen2.5-Coder-1.5B-Instruct")) {
            if case .delta(let text) = event { streamed += text }
        }
        #expect(!streamed.isEmpty)
        let servers = backend.servers
        #expect(servers.count == 2, "the 1.5B got \(servers.count - 1) servers")
        let second = try #require(servers.last)
        #expect(second.configuration.modelPath == layout.modelPath(.qwenCoder15B))
        #expect(second.configuration.slots == 2)
        #expect(second.logFile.contains("llama-server-qwen2.5-coder-1.5b-"))
        let secondPID = try #require(await second.processID)
        #expect(secondPID != main)

        await backend.shutdown()
        #expect(await TestSupport.eventually { TestSupport.isDead(main) && TestSupport.isDead(secondPID) })
    }

    @Test func anUninstalledModelSaysHowToFetchItAndStartsNothing() async throws {
        let layout = try Self.cache(with: [.qwenCoder05B])
        let backend = Self.backend(layout)
        let error = await TestSupport.error { try await backend.complete(Self.request(model: "qwen2.5-coder-1.5b")) }
        #expect(error?.code == .notSetUp)
        #expect(error?.message.contains("make setup-1.5b") == true, "\(error?.message ?? "")")
        #expect(backend.servers.count == 1)
        #expect(await backend.server.processID == nil)

        // The same as the main model.
        let larger = Self.backend(layout, model: "qwen2.5-coder-1.5b")
        let failure = await TestSupport.error { try await larger.capabilities() }
        #expect(failure?.code == .notSetUp)
        #expect(await larger.server.processID == nil)
    }

    @Test func aNameOutsideTheCatalogueIsAnErrorNotIgnored() async throws {
        let layout = try Self.cache(with: [.qwenCoder05B])
        let backend = Self.backend(layout)
        let error = await TestSupport.error { try await backend.complete(Self.request(model: "gpt-4o")) }
        #expect(error?.code == .modelNotFound)
        #expect(error?.message.contains("qwen2.5-coder-0.5b, qwen2.5-coder-1.5b") == true)
        #expect(error?.message.contains("backend.url") == true)

        let unknown = Self.backend(layout, model: "llama3")
        #expect(unknown.model == nil)
        var streamError: ModelBackendError?
        do {
            for try await _ in unknown.stream(Self.request()) {}
        } catch {
            streamError = error as? ModelBackendError
        }
        #expect(streamError?.code == .modelNotFound)
        #expect(streamError?.message.contains("'llama3' (backend.model)") == true)
        await backend.shutdown()
    }

    @Test func theMainModelCanBeTheLargerOne() async throws {
        let layout = try Self.cache(with: [.qwenCoder05B, .qwenCoder15B])
        let backend = Self.backend(layout, model: "qwen2.5-coder-1.5b-instruct")
        #expect(backend.server.configuration.modelPath == layout.modelPath(.qwenCoder15B))
        _ = try await backend.complete(Self.request(model: "qwen2.5-coder-1.5b"))
        #expect(backend.servers.count == 1)
        await backend.shutdown()
    }
}
