import SelfMoA
import ArgumentParser
import Assistant
import Logging
import ModelBackend

/// The options every one-shot action takes: the backend, the Self-MoA parameters, the output.
struct ActionOptions: ParsableArguments {
    @Option(help: "Proposals per run (N).")
    var samples: Int?

    @Option(help: "auto, selfmoa, seq or single.")
    var mode: String?

    @Option(help: "Token cap of each proposal.")
    var maxTokens: Int?

    @Option(help: "Where the answer comes from: synthesis (aggregated) or central (the proposal most like the others).")
    var answer: String?

    @Option(help: "Seed of proposal 0, for reproducible runs.")
    var seed: UInt32?

    @OptionGroup var backend: BackendOptions

    @Option(help: "Override the context window the backend reports, in tokens.")
    var contextTokens: Int?

    @Option(help: "The file's language (default: guessed from its extension).")
    var language: String?

    @Flag(help: "Print the result and its cost report as JSON.")
    var json = false

    @Flag(help: "Do not print progress to stderr.")
    var quiet = false

    func validate() throws {
        // The same ranges as the settings a client sends (`SettingKey.all`).
        for (flag, key, value) in [("--samples", "samples", samples), ("--max-tokens", "maxTokens", maxTokens)] {
            guard let value, let setting = SettingKey.named(key) else { continue }
            do {
                _ = try setting.check(.integer(value), path: flag)
            } catch {
                throw ValidationError(error.message)
            }
        }
        if let mode, SelfMoAMode(rawValue: mode) == nil {
            throw ValidationError("--mode must be auto, selfmoa, seq or single (got \(mode))")
        }
        if let answer, AnswerSource(rawValue: answer) == nil {
            throw ValidationError("--answer must be synthesis or central (got \(answer))")
        }
    }

    /// Runs `body` with an assistant over the configured backend (these options applied to
    /// `kind`), then stops the backend (the managed embedded server, when it was started).
    func withAssistant<T: Sendable>(
        for kind: ActionKindName, logging: LoggingOptions, overrides: ActionSettings = ActionSettings(),
        _ body: (Assistant) async throws -> T
    ) async throws -> T {
        let logger = try logging.makeLogger(label: "selfmoa-lsp")
        var configuration = backend.configuration()
        configuration.contextTokens = contextTokens
        let backend = ModelBackendFactory.makeBackend(configuration: configuration, logger: logger)
        var settings = AssistantSettings()
        settings[action: kind] = settings[action: kind].applying(ActionSettings(
            samples: samples, maxTokens: maxTokens, mode: mode.flatMap(SelfMoAMode.init(rawValue:)), seed: seed,
            answer: answer.flatMap(AnswerSource.init(rawValue:))
        ).applying(overrides))
        let assistant = Assistant(model: backend.model, settings: settings)
        let quiet = quiet
        do {
            let value = try await BackendActivity.reporting(to: { if !quiet { printError("[waiting] \($0)") } }) {
                try await body(assistant)
            }
            await backend.shutdown()
            return value
        } catch {
            await backend.shutdown()
            throw error
        }
    }

    /// Writes each step to stderr, unless `--quiet`.
    var progressReporter: @Sendable (SelfMoAProgress) -> Void {
        let quiet = quiet
        return { progress in
            if !quiet { printError("[\(Int((progress.fraction * 100).rounded()))%] \(progress.message)") }
        }
    }

    /// Writes the cost summary to stderr, unless `--quiet`.
    func finish(_ cost: CostReport) {
        if !quiet { printError(cost.summary) }
    }
}
