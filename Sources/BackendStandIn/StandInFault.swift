/// A way the stand-in misbehaves on purpose, to test how clients cope.
public enum StandInFault: Sendable, Hashable {
    /// Nothing listens: connections are refused.
    case down
    /// Accepts connections and closes them at once, before reading a request.
    case hangUp
    /// 401 on every endpoint but `/health`.
    case unauthorized
    /// 404 on the generation endpoints, as for an unknown model.
    case modelNotFound
    /// 500 on the generation endpoints.
    case serverError
    /// Waits this long before answering a generation request at all.
    case slowFirstToken(Duration)
    /// Every slot is busy with other clients' work for this long after the stand-in starts (or
    /// the faults are set):
    /// `/slots` says every slot is processing, and generation requests wait until it is over.
    case busyFor(Duration)
    /// Closes the connection in the middle of an answer.
    case dropMidStream
    /// Streams events whose data is not JSON.
    case garbageSSE
    /// Answers non-streaming requests with a body that is not JSON.
    case garbageJSON
    /// Ignores `n`: always one choice.
    case ignoresN
    /// 400 "exceeds the available context size" on every generation request.
    case contextOverflow
    /// 500 for generation requests whose (first) seed is in the set.
    case failSeeds(Set<UInt32>)
    /// 500 for the generation requests with these 1-based call numbers (counting every chat and
    /// infill request, probes included).
    case failCalls(Set<Int>)
    /// A plain OpenAI server: no `/health`, `/props`, `/tokenize`, `/infill`, no `timings`.
    case noExtras
    /// `/infill` answers run past the hole like an instruct model: the answer, then the suffix
    /// again, a closing fence and prose.
    case infillRunsPast

    /// Parses a command-line spelling: `down`, `hang-up`, `unauthorized`, `not-found`, `server-error`,
    /// `slow-first-token=SECONDS`, `busy-for=SECONDS`, `drop-mid-stream`, `garbage-sse`, `garbage-json`, `ignore-n`,
    /// `context-overflow`, `fail-seeds=1,2`, `fail-calls=1,3`, `no-extras`, `infill-runs-past`.
    public init?(argument: String) {
        let parts = argument.split(separator: "=", maxSplits: 1).map(String.init)
        let name = parts.first ?? ""
        let value = parts.count > 1 ? parts[1] : nil
        switch (name, value) {
        case ("down", nil): self = .down
        case ("hang-up", nil): self = .hangUp
        case ("unauthorized", nil): self = .unauthorized
        case ("not-found", nil): self = .modelNotFound
        case ("server-error", nil): self = .serverError
        case ("slow-first-token", let value?):
            guard let seconds = Double(value), seconds >= 0 else { return nil }
            self = .slowFirstToken(.milliseconds(Int64(seconds * 1000)))
        case ("busy-for", let value?):
            guard let seconds = Double(value), seconds >= 0 else { return nil }
            self = .busyFor(.milliseconds(Int64(seconds * 1000)))
        case ("drop-mid-stream", nil): self = .dropMidStream
        case ("garbage-sse", nil): self = .garbageSSE
        case ("garbage-json", nil): self = .garbageJSON
        case ("ignore-n", nil): self = .ignoresN
        case ("context-overflow", nil): self = .contextOverflow
        case ("fail-seeds", let value?):
            let seeds = value.split(separator: ",").compactMap { UInt32($0) }
            guard !seeds.isEmpty else { return nil }
            self = .failSeeds(Set(seeds))
        case ("fail-calls", let value?):
            let calls = value.split(separator: ",").compactMap { Int($0) }
            guard !calls.isEmpty else { return nil }
            self = .failCalls(Set(calls))
        case ("no-extras", nil): self = .noExtras
        case ("infill-runs-past", nil): self = .infillRunsPast
        default: return nil
        }
    }

    /// The names `init(argument:)` accepts, for usage messages.
    public static let argumentNames = [
        "down", "hang-up", "unauthorized", "not-found", "server-error", "slow-first-token=SECONDS", "busy-for=SECONDS",
        "drop-mid-stream", "garbage-sse", "garbage-json", "ignore-n", "context-overflow", "fail-seeds=S1,S2", "fail-calls=N1,N2",
        "no-extras", "infill-runs-past",
    ]
}
