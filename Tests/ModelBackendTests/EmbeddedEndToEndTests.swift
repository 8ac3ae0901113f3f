import Foundation
import Testing

@testable import ModelBackend

/// The real thing: the managed `llama-server` with Qwen2.5-Coder-0.5B-Instruct from the per-user
/// cache. These tests fail, never skip, when the embedded default is not installed: run
/// `make setup` (or `selfmoa-lsp setup`) first.
@Suite(.serialized, .timeLimit(.minutes(10))) struct EmbeddedEndToEndTests {
    /// One small server for the whole suite: 3 slots of 2048 tokens. It dies with the test
    /// process through its watchdog.
    static let backend: Backend = {
        var configuration = BackendConfiguration(
            // Generous: the machines that run this are small and often busy.
            timeouts: .init(connect: .seconds(5), firstToken: .seconds(240), total: .seconds(420))
        )
        configuration.embedded = EmbeddedServerOptions(slots: 3, contextPerSlot: 2048, startTimeout: .seconds(240))
        return ModelBackendFactory.makeBackend(configuration: configuration, logger: TestSupport.logger)
    }()

    static let fibonacci = """
        def fibonacci(n):
            return n if n < 2 else fibonacci(n - 1) + fibonacci(n - 2)
        """

    init() throws {
        do {
            try EmbeddedDefault.current.check()
        } catch {
            throw TestFailure("\(error.message)")
        }
    }

    @Test func answersAboutAFunctionByName() async throws {
        let request = ChatRequest(
            messages: [
                .system("You explain code briefly."),
                .user("Name the function below and say in one sentence what it computes.\n\n\(Self.fibonacci)"),
            ],
            options: SamplingOptions(temperature: 0, seed: 42, maxTokens: 48)
        )
        let answer = try await Self.backend.model.complete(request)
        #expect(answer.count == 1)
        let text = try #require(answer.first?.text)
        #expect(text.lowercased().contains("fibonacci"), "answer: \(text)")
        let usage = answer[0].usage
        #expect(usage.promptTokens > 20)
        #expect(usage.completionTokens > 0)
        #expect(usage.prefilledTokens <= usage.promptTokens)

        // The same prompt again is answered from the prompt cache.
        let again = try await Self.backend.model.complete(request)
        #expect(again.first?.text == text)
        #expect(again[0].usage.prefilledTokens < usage.promptTokens)
    }

    @Test func samplesThreeChoicesInOneRequest() async throws {
        let capabilities = try await Self.backend.model.capabilities()
        #expect(capabilities.multipleSamples)
        #expect(capabilities.slots == 3)
        #expect(capabilities.contextTokens == 2048)
        #expect(capabilities.tokenize)
        #expect(capabilities.infill)
        #expect(capabilities.model == EmbeddedDefault.modelFileName)

        let samples = try await Self.backend.model.complete(
            ChatRequest(
                messages: [.user("Give one word that describes recursion.")],
                options: SamplingOptions(temperature: 0.7, seed: 7, maxTokens: 6),
                n: 3
            )
        )
        #expect(samples.map(\.index) == [0, 1, 2])
        #expect(samples.allSatisfy { !$0.text.isEmpty })
        #expect(samples[0].usage.promptTokens > 0)
        #expect(samples[1].usage.promptTokens == 0)
    }

    @Test func tokenizesExactly() async throws {
        // Qwen2.5's tokenizer: "def", " fibonacci", "(n", "):".
        #expect(try await Self.backend.model.countTokens("def fibonacci(n):") == 4)
    }

    @Test func streamsAnAnswer() async throws {
        var text = ""
        var finished = false
        let request = ChatRequest(
            messages: [.user("What is the name of this function?\n\n\(Self.fibonacci)")],
            options: SamplingOptions(temperature: 0, seed: 1, maxTokens: 24)
        )
        for try await event in Self.backend.model.stream(request) {
            switch event {
            case .delta(let piece): text += piece
            case .finished(_, let usage):
                finished = true
                #expect(usage.completionTokens > 0)
            }
        }
        #expect(finished)
        #expect(text.lowercased().contains("fibonacci"), "answer: \(text)")
    }

    @Test func fillsAHoleWithoutRepeatingTheSuffix() async throws {
        let samples = try await Self.backend.model.infill(
            InfillRequest(
                prefix: "def fibonacci(n):\n    ",
                suffix: "\n\nprint(fibonacci(10))\n",
                options: SamplingOptions(temperature: 0, seed: 1, maxTokens: 64)
            )
        )
        let text = try #require(samples.first?.text)
        #expect(!text.isEmpty)
        #expect(!text.contains("print(fibonacci(10))"), "infill: \(text)")
        #expect(!text.contains("```"), "infill: \(text)")
    }

    @Test func theServerDiesWithItsKilledOwner() async throws {
        let owner = try RunningProcess(
            try TestSupport.executable("selfmoa-lsp"),
            ["doctor", "--hold", "--slots", "1", "--context-per-slot", "512"]
        )
        let line = try await owner.line(startingWith: "HOLD ", within: .seconds(120))
        let fields = line.split(separator: " ")
        let port = try #require(Int(fields[1]))
        let pid = try #require(Int32(fields[2]))
        let command = try String(decoding: Data(contentsOf: URL(fileURLWithPath: "/proc/\(pid)/cmdline")), as: UTF8.self)
        #expect(command.contains("llama-server"))
        #expect(TestSupport.isListening(port))

        owner.kill(SIGKILL)
        await owner.waitForExit()
        let gone = await TestSupport.eventually(within: .seconds(10)) { TestSupport.isDead(pid) && !TestSupport.isListening(port) }
        #expect(gone, "llama-server (pid \(pid), port \(port)) outlived its SIGKILLed owner")
    }
}
