import Foundation
import JSON
import ModelBackend

/// A model that records the proposals (`complete`, `infill`) of another in a folder and answers
/// a repeated request from there, so configurations that differ only in aggregation reuse one
/// set of sampled proposals and run only their own aggregation. Streams (the aggregation) and
/// everything else go to the model itself.
///
/// A request is keyed by everything that shapes its samples: messages or prefix/suffix/extra,
/// temperature, seed, token cap, stops, `n` and model. The recorded usage is replayed, so token
/// counts stay right; the recorded seconds are those of the run that sampled them.
struct ProposalCache: LanguageModel {
    var base: any LanguageModel
    var directory: String

    func capabilities() async throws(ModelBackendError) -> ModelCapabilities { try await base.capabilities() }
    func countTokens(_ text: String) async throws(ModelBackendError) -> Int { try await base.countTokens(text) }
    func stream(_ request: ChatRequest) -> AsyncThrowingStream<StreamEvent, any Error> { base.stream(request) }

    func complete(_ request: ChatRequest) async throws(ModelBackendError) -> [Completion] {
        let key = ["chat"] + request.messages.map { "\($0.role.rawValue)\u{1}\($0.content)" } + options(request.options, n: request.n)
        return try await cached(key) { () async throws(ModelBackendError) in try await base.complete(request) }
    }

    func infill(_ request: InfillRequest) async throws(ModelBackendError) -> [Completion] {
        let extra = request.extraContext.map { "\($0.name)\u{1}\($0.text)" }.joined(separator: "\u{2}")
        let key = ["infill", request.prefix, request.suffix, extra] + options(request.options, n: request.n)
        return try await cached(key) { () async throws(ModelBackendError) in try await base.infill(request) }
    }

    private func options(_ options: SamplingOptions, n: Int) -> [String] {
        ["\(options.temperature)", "\(options.seed.map(String.init) ?? "-")", "\(options.maxTokens)",
         options.stop.joined(separator: "\u{1}"), "\(n)", options.model ?? "-"]
    }

    private func cached(
        _ key: [String], _ sample: () async throws(ModelBackendError) -> [Completion]
    ) async throws(ModelBackendError) -> [Completion] {
        let text = key.joined(separator: "\u{0}")
        let path = "\(directory)/\(Self.fnv1a(text)).json"
        if let data = FileManager.default.contents(atPath: path),
           let json = try? JSONValue.parse(Array(data)),
           json["key"]?.stringValue == text, let items = json["completions"]?.arrayValue {
            return items.map { item in
                Completion(
                    index: Int(item["index"]?.intValue ?? 0), text: item["text"]?.stringValue ?? "",
                    finishReason: item["finishReason"]?.stringValue,
                    usage: Usage(
                        promptTokens: Int(item["promptTokens"]?.intValue ?? 0),
                        prefilledTokens: Int(item["prefilledTokens"]?.intValue ?? 0),
                        completionTokens: Int(item["completionTokens"]?.intValue ?? 0),
                        seconds: item["seconds"]?.doubleValue ?? 0
                    )
                )
            }
        }
        let completions = try await sample()
        let record: JSONValue = [
            "key": .string(text),
            "completions": .array(completions.map { c in
                [
                    "index": .int(Int64(c.index)), "text": .string(c.text), "finishReason": c.finishReason.map(JSONValue.string) ?? .null,
                    "promptTokens": .int(Int64(c.usage.promptTokens)), "prefilledTokens": .int(Int64(c.usage.prefilledTokens)),
                    "completionTokens": .int(Int64(c.usage.completionTokens)), "seconds": .double(c.usage.seconds),
                ]
            }),
        ]
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: path, contents: Data(record.serializedBytes()))
        return completions
    }

    /// FNV-1a, 64 bits, as hex: a file name, not a security boundary (the key is stored and
    /// compared too).
    static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
