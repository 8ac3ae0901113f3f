/// A model the embedded `llama-server` can run, as `scripts/setup.sh` installs it.
///
/// The default is Qwen2.5-Coder-0.5B-Instruct: small enough for two CPU cores. Its larger sibling,
/// Qwen2.5-Coder-1.5B-Instruct, is an opt-in download (`scripts/setup.sh model-1.5b`) for users
/// who want quality over speed: as the model of everything (`backend.model`), or only as the
/// aggregator (`aggregatorModel`), which then runs on a second managed server.
public struct EmbeddedModel: Sendable, Hashable, CustomStringConvertible {
    /// The name settings use, e.g. `qwen2.5-coder-1.5b`.
    public let name: String
    /// The GGUF file under the cache's `models/`.
    public let fileName: String
    /// The `scripts/setup.sh` part that installs it.
    public let setupPart: String

    public var description: String { name }

    /// Qwen2.5-Coder-0.5B-Instruct, GGUF Q4_K_M: the embedded default.
    public static let qwenCoder05B = EmbeddedModel(
        name: "qwen2.5-coder-0.5b", fileName: "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf", setupPart: "model"
    )
    /// Qwen2.5-Coder-1.5B-Instruct, GGUF Q4_K_M: about 3× the decode time of the 0.5B.
    public static let qwenCoder15B = EmbeddedModel(
        name: "qwen2.5-coder-1.5b", fileName: "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf", setupPart: "model-1.5b"
    )

    /// Every model setup can install, default first.
    public static let catalogue: [EmbeddedModel] = [qwenCoder05B, qwenCoder15B]

    /// The catalogue's model called `name`: its name, with or without `-instruct`, or its file
    /// name; case-insensitive. `nil` for anything else.
    public static func named(_ name: String) -> EmbeddedModel? {
        let key = name.lowercased()
        return catalogue.first { model in
            key == model.name || key == model.name + "-instruct" || key == model.fileName
        }
    }

    /// The catalogue's names, for messages.
    public static var knownNames: String { catalogue.map(\.name).joined(separator: ", ") }

    /// How to install it.
    public var setupAdvice: String {
        setupPart == "model" ? EmbeddedDefault.setupAdvice : "run `make setup-1.5b` (or `selfmoa-lsp setup \(setupPart)`) to fetch \(name)"
    }
}
