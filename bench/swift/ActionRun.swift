import Assistant
import Foundation
import JSON
import Logging
import ModelBackend
import SelfMoA

/// One action run through `Assistant`, the way the `selfmoa-lsp` one-shot commands run it, but
/// with any `ActionSettings` and a report of everything a benchmark needs: the answer, the cost
/// report, per-phase usage, the plan, every proposal (for complete also the code the product
/// would insert for it) and the time to the first answer token.
struct ActionRun {
    var kind: ActionKindName
    var file: String
    var line: Int?
    var atEnd = false
    var backendURL: String?
    /// The embedded backend's model (`backend.model`) and generation threads, without a URL.
    var backendModel: String?
    var threads: Int?
    /// Where proposals are recorded and replayed (`ProposalCache`).
    var proposalCache: String?
    var settings = ActionSettings()

    init(arguments: [String]) throws {
        var rest = arguments[...]
        guard let action = rest.popFirst(), let kind = ActionKindName(rawValue: action), kind == .explain || kind == .complete
        else { fail("run: the action must be explain or complete") }
        self.kind = kind
        guard let file = rest.popFirst() else { fail("run: give a FILE") }
        self.file = file
        while let flag = rest.popFirst() {
            switch flag {
            case "--line": line = rest.popFirst().flatMap(Int.init)
            case "--end": atEnd = true
            case "--backend-url": backendURL = rest.popFirst()
            case "--backend-model": backendModel = rest.popFirst()
            case "--threads": threads = rest.popFirst().flatMap(Int.init)
            case "--proposal-cache": proposalCache = rest.popFirst()
            case "--settings":
                guard let json = rest.popFirst() else { fail("--settings needs a JSON object") }
                settings = try JSONValueDecoder().decode(ActionSettings.self, fromJSON: Array(json.utf8))
            default: fail("run: unknown option \(flag)")
            }
        }
        if kind == .complete && line == nil && !atEnd { fail("run complete: give --line L or --end") }
    }

    func run() async throws -> JSONValue {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            fail("cannot read \(file)")
        }
        let url = URL(fileURLWithPath: file)
        let language = ["py": "python", "swift": "swift", "lua": "lua", "el": "emacs-lisp"][url.pathExtension] ?? url.pathExtension
        let selection: Swift.Range<Int>?
        if kind == .complete {
            let offset = atEnd ? text.utf8.count : ActionInput.byteOffset(line: (line ?? 1) - 1, characters: nil, in: text)
            selection = offset..<offset
        } else {
            selection = line.map { ActionInput.byteRange(lines: ($0 - 1)...($0 - 1), in: text) }
        }
        let input = ActionInput(fileName: url.lastPathComponent, language: language, text: text, selection: selection)

        let logger = Logger(label: "selfmoa-bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let configuration = BackendConfiguration(
            url: backendURL, model: backendModel,
            timeouts: .init(connect: .seconds(5), firstToken: .seconds(600), total: .seconds(3600)),
            embedded: EmbeddedServerOptions(threads: threads)
        )
        let backend = ModelBackendFactory.makeBackend(configuration: configuration, logger: logger)
        defer { backend.terminateImmediately() }
        var all = AssistantSettings()
        all[action: kind] = all[action: kind].applying(settings)
        let model: any LanguageModel = proposalCache.map { ProposalCache(base: backend.model, directory: $0) } ?? backend.model
        let assistant = Assistant(model: model, settings: all)

        let clock = ContinuousClock()
        let start = clock.now
        let events = EventLog()
        let onProgress: @Sendable (SelfMoAProgress) -> Void = { progress in
            events.progress((clock.now - start).seconds, progress.message)
        }
        let onAnswer: @Sendable (AnswerEvent) -> Void = { event in
            if case .delta(let text) = event, !text.isEmpty { events.firstAnswer((clock.now - start).seconds) }
            if case .reset = event { events.reset((clock.now - start).seconds) }
        }

        var report: [String: JSONValue] = [:]
        let run: SelfMoAResult
        switch kind {
        case .complete:
            let result = try await assistant.complete(input, kind: .complete, onProgress: onProgress, onAnswer: onAnswer)
            run = result.run
            report["answer"] = .string(result.code)
            report["replace"] = [.int(Int64(result.replace.lowerBound)), .int(Int64(result.replace.upperBound))]
            report["imports"] = Self.imports(result.imports)
            report["cost"] = try JSONValueEncoder().encode(result.cost)
        default:
            let result = try await assistant.explain(input, onProgress: onProgress, onAnswer: onAnswer)
            run = result.run
            report["answer"] = .string(result.markdown)
            report["cost"] = try JSONValueEncoder().encode(result.cost)
        }
        let wall = (clock.now - start).seconds

        var proposals: [JSONValue] = []
        for proposal in run.proposals {
            var entry: [String: JSONValue] = [
                "index": .int(Int64(proposal.index)), "text": .string(proposal.text), "infill": .bool(proposal.infill),
                "finishReason": proposal.finishReason.map(JSONValue.string) ?? .null,
                "seed": proposal.seed.map { .int(Int64($0)) } ?? .null, "usage": usage(proposal.usage),
            ]
            if kind == .complete {
                let product = try await Self.productCode(for: proposal, input: input)
                entry["code"] = .string(product.code)
                entry["imports"] = Self.imports(product.imports)
            }
            proposals.append(.object(entry))
        }
        report["proposals"] = .array(proposals)
        report["failedProposals"] = .int(Int64(run.failedProposals.count))
        report["aggregated"] = .bool(run.aggregated)
        report["phases"] = [
            "proposals": usage(run.cost.proposalUsage, seconds: run.cost.proposalSeconds),
            "aggregation": usage(run.cost.aggregationUsage, seconds: run.cost.aggregationSeconds),
        ]
        report["plan"] = [
            "mode": .string(run.plan.mode.rawValue), "window": .int(Int64(run.plan.shape.window)),
            "reserved": .int(Int64(run.plan.shape.reserved)), "proposals": .int(Int64(run.plan.proposals)),
            "steps": .int(Int64(run.plan.steps)), "infill": .bool(run.plan.infill), "trimmed": .bool(run.plan.trimmed),
            "requiredTokens": .int(Int64(run.plan.requiredTokens)), "contextTokens": .int(Int64(run.plan.contextTokens)),
        ]
        report["wallSeconds"] = .double(wall)
        report["firstAnswerSeconds"] = events.first.map(JSONValue.double) ?? .null
        report["answerResets"] = .int(Int64(events.resets))
        report["progress"] = .array(events.steps.map { [.double($0.0), .string($0.1)] })
        report["settings"] = try JSONValueEncoder().encode(ActionSettings.defaults(for: kind).applying(all[action: kind]))
        return .object(report)
    }

    private func usage(_ usage: Usage, seconds: Double? = nil) -> JSONValue {
        [
            "promptTokens": .int(Int64(usage.promptTokens)), "prefilledTokens": .int(Int64(usage.prefilledTokens)),
            "completionTokens": .int(Int64(usage.completionTokens)), "seconds": .double(seconds ?? usage.seconds),
        ]
    }

    /// The code (and imports) the product would insert if `proposal` were the answer: the
    /// proposal replayed as the only sample of a `single` run, through the same clean-up as
    /// every completion.
    static func productCode(for proposal: Proposal, input: ActionInput) async throws -> CompleteResult {
        var settings = AssistantSettings()
        settings[action: .complete] = settings[action: .complete].applying(ActionSettings(mode: .single))
        let replay = ReplayModel(text: proposal.text, infill: proposal.infill)
        return try await Assistant(model: replay, settings: settings).complete(input, kind: .complete)
    }

    /// Where the imports go (a UTF-8 byte offset) and the lines; null without imports.
    static func imports(_ imports: ImportInsertion?) -> JSONValue {
        guard let imports else { return .null }
        return ["offset": .int(Int64(imports.offset)), "text": .string(imports.text), "statements": .array(imports.statements.map(JSONValue.string))]
    }
}

/// Progress and answer timing, written from the engine's callbacks.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var first: Double?
    private(set) var resets = 0
    private(set) var steps: [(Double, String)] = []

    func firstAnswer(_ t: Double) { lock.withLock { if first == nil { first = t } } }
    func reset(_ t: Double) { lock.withLock { resets += 1 } }
    func progress(_ t: Double, _ message: String) { lock.withLock { steps.append((t, message)) } }
}

extension Duration {
    var seconds: Double {
        let (s, atto) = components
        return Double(s) + Double(atto) / 1e18
    }
}
