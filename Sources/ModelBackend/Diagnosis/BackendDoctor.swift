import JSON
import Logging

/// What `selfmoa-lsp doctor` found about a backend.
public struct BackendDiagnosis: Sendable {
    /// One line of the report.
    public struct Check: Sendable, Hashable {
        public enum Status: String, Sendable, Hashable {
            /// Works.
            case ok
            /// Does not work; the backend is unusable.
            case failed
            /// Missing, but the product copes (a fallback is used).
            case missing
        }

        public var name: String
        public var status: Status
        public var detail: String
        public var seconds: Double?
    }

    /// The URL, or a description of the embedded default.
    public var backend: String
    public var checks: [Check] = []
    public var capabilities: ModelCapabilities?

    /// `true` when the model answered; missing extras do not count against it.
    public var works: Bool {
        !checks.isEmpty && !checks.contains { $0.status == .failed } && checks.contains { $0.name == "answer" && $0.status == .ok }
    }

    /// The human report.
    public func text() -> String {
        var lines = ["selfmoa-lsp doctor: \(backend)"]
        for check in checks {
            let mark: String
            switch check.status {
            case .ok: mark = "ok  "
            case .failed: mark = "FAIL"
            case .missing: mark = "--  "
            }
            let time = check.seconds.map { " (\(Self.format($0)) s)" } ?? ""
            lines.append("  [\(mark)] \(check.name): \(check.detail)\(time)")
        }
        lines.append(works ? "the backend works." : "the backend does NOT work; see the failures above.")
        return lines.joined(separator: "\n")
    }

    /// The report as one JSON object.
    public func json() -> String {
        var object: [String: JSONValue] = [
            "backend": .string(backend),
            "works": .bool(works),
            "checks": .array(
                checks.map { check in
                    var item: [String: JSONValue] = [
                        "name": .string(check.name), "status": .string(check.status.rawValue), "detail": .string(check.detail),
                    ]
                    if let seconds = check.seconds { item["seconds"] = .double(seconds) }
                    return .object(item)
                }
            ),
        ]
        if let capabilities {
            object["capabilities"] = [
                "contextTokens": .int(Int64(capabilities.contextTokens)),
                "slots": .int(Int64(capabilities.slots)),
                "multipleSamples": .bool(capabilities.multipleSamples),
                "tokenize": .bool(capabilities.tokenize),
                "infill": .bool(capabilities.infill),
                "model": .string(capabilities.model),
            ]
        }
        return JSONValue.object(object).serialized()
    }

    static func format(_ seconds: Double) -> String {
        let tenths = Int((seconds * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

/// Checks a backend end to end: reachable, answers a tiny prompt, and which extras it has.
public enum BackendDoctor {
    /// Diagnoses the backend `configuration` selects (starting and stopping the managed server
    /// for the embedded default). Never throws: every failure becomes a failed check.
    public static func diagnose(
        configuration: BackendConfiguration,
        environment: [String: String]? = nil,
        logger: Logger
    ) async -> BackendDiagnosis {
        let environment = environment ?? ProcessEnvironment.current
        let configuration = configuration.resolvingEnvironment(environment)
        let embeddedModel: EmbeddedModel? = if let name = configuration.model { EmbeddedModel.named(name) } else { .qwenCoder05B }
        var diagnosis = BackendDiagnosis(
            backend: configuration.url ?? "embedded llama-server (\(embeddedModel?.fileName ?? configuration.model ?? ""))"
        )
        if configuration.url == nil {
            let layout = EmbeddedDefault(environment: environment)
            do throws(ModelBackendError) {
                guard let embeddedModel else {
                    throw EmbeddedModels.unknown(configuration.model ?? "", key: "backend.model")
                }
                try layout.check([embeddedModel])
                diagnosis.checks.append(.init(name: "setup", status: .ok, detail: "llama-server and model in \(layout.cacheDirectory)"))
            } catch {
                diagnosis.checks.append(.init(name: "setup", status: .failed, detail: error.message))
                return diagnosis
            }
        }
        if let name = configuration.apiKeyEnv {
            let present = !(environment[name] ?? "").isEmpty
            diagnosis.checks.append(
                .init(
                    name: "api key",
                    status: present ? .ok : .missing,
                    detail: present ? "taken from $\(name)" : "$\(name) is not set; requests go without a key"
                )
            )
        }
        let backend = ModelBackendFactory.makeBackend(configuration: configuration, environment: environment, logger: logger)
        await run(backend.model, into: &diagnosis, managed: backend.managedServer)
        await backend.shutdown()
        return diagnosis
    }

    /// Runs the checks against `model`.
    public static func run(_ model: any LanguageModel, into diagnosis: inout BackendDiagnosis, managed: ManagedLlamaServer? = nil) async {
        let clock = ContinuousClock()
        var started = clock.now
        if let managed {
            do {
                let endpoint = try await managed.endpoint()
                diagnosis.checks.append(
                    .init(name: "server", status: .ok, detail: "started at \(endpoint)", seconds: (clock.now - started).seconds)
                )
            } catch {
                diagnosis.checks.append(.init(name: "server", status: .failed, detail: error.message, seconds: (clock.now - started).seconds))
                return
            }
        }

        started = clock.now
        let capabilities: ModelCapabilities
        do {
            capabilities = try await model.capabilities()
            diagnosis.capabilities = capabilities
            diagnosis.checks.append(
                .init(name: "reachable", status: .ok, detail: "model \(capabilities.model)", seconds: (clock.now - started).seconds)
            )
            diagnosis.checks.append(
                .init(
                    name: "context",
                    status: .ok,
                    detail: "\(capabilities.contextTokens) tokens per request, \(capabilities.slots) slot\(capabilities.slots == 1 ? "" : "s")"
                )
            )
        } catch {
            diagnosis.checks.append(.init(name: "reachable", status: .failed, detail: error.message, seconds: (clock.now - started).seconds))
            return
        }

        started = clock.now
        let prompt = ChatRequest(
            messages: [.system("You are terse."), .user("Reply with the single word OK.")],
            options: SamplingOptions(temperature: 0, seed: 1, maxTokens: 8)
        )
        do {
            let answer = try await model.complete(prompt)
            let text = answer.first?.text ?? ""
            diagnosis.checks.append(
                .init(
                    name: "answer",
                    status: text.isEmpty ? .failed : .ok,
                    detail: text.isEmpty ? "the model returned an empty answer" : "\"\(Self.shorten(text))\"",
                    seconds: (clock.now - started).seconds
                )
            )
        } catch {
            diagnosis.checks.append(.init(name: "answer", status: .failed, detail: error.message, seconds: (clock.now - started).seconds))
            return
        }

        started = clock.now
        if capabilities.multipleSamples {
            var request = prompt
            request.n = 2
            request.options.maxTokens = 4
            do {
                let samples = try await model.complete(request)
                diagnosis.checks.append(
                    .init(
                        name: "n",
                        status: samples.count == 2 ? .ok : .failed,
                        detail: "\(samples.count) of 2 samples from one request (prompt prefilled once)",
                        seconds: (clock.now - started).seconds
                    )
                )
            } catch {
                diagnosis.checks.append(.init(name: "n", status: .failed, detail: error.message, seconds: (clock.now - started).seconds))
            }
        } else {
            diagnosis.checks.append(.init(name: "n", status: .missing, detail: "not supported; samples go as concurrent requests"))
        }

        started = clock.now
        do {
            let count = try await model.countTokens("def fibonacci(n): return n")
            diagnosis.checks.append(
                .init(
                    name: "tokenize",
                    status: capabilities.tokenize ? .ok : .missing,
                    detail: capabilities.tokenize ? "exact (\(count) tokens for a sample line)" : "no /tokenize; a conservative estimate is used",
                    seconds: (clock.now - started).seconds
                )
            )
        } catch {
            diagnosis.checks.append(.init(name: "tokenize", status: .failed, detail: error.message, seconds: (clock.now - started).seconds))
        }

        started = clock.now
        if capabilities.infill {
            do {
                let filled = try await model.infill(
                    InfillRequest(
                        prefix: "def add(a, b):\n    return ",
                        suffix: "\n",
                        options: SamplingOptions(temperature: 0, seed: 1, maxTokens: 8)
                    )
                )
                diagnosis.checks.append(
                    .init(
                        name: "infill",
                        status: .ok,
                        detail: "\"\(Self.shorten(filled.first?.text ?? ""))\"",
                        seconds: (clock.now - started).seconds
                    )
                )
            } catch {
                diagnosis.checks.append(.init(name: "infill", status: .failed, detail: error.message, seconds: (clock.now - started).seconds))
            }
        } else {
            diagnosis.checks.append(.init(name: "infill", status: .missing, detail: "no /infill; completions use the chat endpoint"))
        }
    }

    static func shorten(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 60 ? String(flat.prefix(60)) + "…" : flat
    }
}
