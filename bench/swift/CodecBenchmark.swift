/// The codec benchmark: our `JSON` module (json-c underneath) against Foundation's
/// `JSONSerialization` / `JSONDecoder` / `JSONEncoder` on LSP-sized messages, measured in one run
/// with the two implementations interleaved round by round.

import Foundation
import JSON

#if canImport(Glibc)
import Glibc
#endif

nonisolated(unsafe) var sink = 0

@inline(never)
func consume(_ value: Int) { sink &+= value }

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Seconds per call of `body`, batched so one batch lasts at least `batchSeconds`.
func timeBatch(_ iterations: Int, _ body: () throws -> Int) rethrows -> Double {
    let start = now()
    for _ in 0..<iterations { consume(try body()) }
    return (now() - start) / Double(iterations)
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    let mid = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

struct Operation {
    var name: String
    var ours: () throws -> Int
    var foundation: () throws -> Int
}

nonisolated(unsafe) var rounds = 9
nonisolated(unsafe) var batchSeconds = 0.2

func compare(_ op: Operation, bytes: Int) throws -> JSONValue {
    // Calibrate on the slower of the two so both batches get the same iteration count.
    _ = try op.ours()
    _ = try op.foundation()
    let probe = max(try timeBatch(1, op.ours), try timeBatch(1, op.foundation))
    let iterations = max(1, Int(batchSeconds / max(probe, 1e-9)))
    var ours: [Double] = []
    var foundation: [Double] = []
    for round in 0..<rounds {
        // Alternate which one goes first, so neither always runs on a warmer cache.
        if round % 2 == 0 {
            ours.append(try timeBatch(iterations, op.ours))
            foundation.append(try timeBatch(iterations, op.foundation))
        } else {
            foundation.append(try timeBatch(iterations, op.foundation))
            ours.append(try timeBatch(iterations, op.ours))
        }
    }
    let o = median(ours)
    let f = median(foundation)
    let mb = Double(bytes) / 1_000_000
    return [
        "operation": .string(op.name),
        "iterationsPerBatch": .int(Int64(iterations)),
        "rounds": .int(Int64(rounds)),
        "ours_us": .double((o * 1e7).rounded() / 10),
        "foundation_us": .double((f * 1e7).rounded() / 10),
        "ours_MBps": .double((mb / o * 10).rounded() / 10),
        "foundation_MBps": .double((mb / f * 10).rounded() / 10),
        // > 1: ours is faster.
        "speedup_ours_vs_foundation": .double((f / o * 100).rounded() / 100),
    ]
}

func benchCase<T: Codable & Equatable>(_ name: String, _ message: T) throws -> JSONValue {
    let foundationEncoder = JSONEncoder()
    foundationEncoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let foundationDecoder = JSONDecoder()
    let ourEncoder = JSONValueEncoder()
    let ourDecoder = JSONValueDecoder()

    let data = try foundationEncoder.encode(message)
    let bytes = [UInt8](data)
    let parsedOurs = try JSONValue.parse(bytes)
    let parsedFoundation = try JSONSerialization.jsonObject(with: data)

    // Both must read what the other wrote, and agree.
    let oursBytes = try ourEncoder.encodeToBytes(message)
    guard try ourDecoder.decode(T.self, fromJSON: bytes) == message,
        try foundationDecoder.decode(T.self, from: Data(oursBytes)) == message
    else {
        throw CocoaError(.coderInvalidValue)
    }

    let operations = [
        Operation(
            name: "parse (bytes -> tree)",
            ours: { if case .object(let o) = try JSONValue.parse(bytes) { return o.count }; return 0 },
            foundation: { (try JSONSerialization.jsonObject(with: data) as? [String: Any])?.count ?? 0 }),
        Operation(
            name: "serialize (tree -> bytes)",
            ours: { parsedOurs.serializedBytes().count },
            foundation: {
                try JSONSerialization.data(withJSONObject: parsedFoundation, options: [.sortedKeys, .withoutEscapingSlashes]).count
            }),
        Operation(
            name: "decode (bytes -> Codable struct)",
            ours: { try ourDecoder.decode(T.self, fromJSON: bytes) == message ? 1 : 0 },
            foundation: { try foundationDecoder.decode(T.self, from: data) == message ? 1 : 0 }),
        Operation(
            name: "encode (Codable struct -> bytes)",
            ours: { try ourEncoder.encodeToBytes(message).count },
            foundation: { try foundationEncoder.encode(message).count }),
    ]
    var results: [JSONValue] = []
    for op in operations {
        results.append(try compare(op, bytes: bytes.count))
    }
    return [
        "message": .string(name),
        "bytes": .int(Int64(bytes.count)),
        "identicalEncoding": .bool(oursBytes == bytes),
        "operations": .array(results),
    ]
}

/// Runs every case and returns the report.
func codecBenchmark(quick: Bool) throws -> JSONValue {
    rounds = quick ? 3 : 9
    batchSeconds = quick ? 0.05 : 0.2
    var cases: [JSONValue] = []
    cases.append(try benchCase("codeAction request, 4 diagnostics", Corpus.codeAction(diagnostics: 4)))
    cases.append(try benchCase("didOpen 100 KB", Corpus.didOpen(bytes: 100 * 1024)))
    cases.append(try benchCase("publishDiagnostics, 500 diagnostics", Corpus.publishDiagnostics(count: 500)))
    cases.append(try benchCase("didOpen 10 MB", Corpus.didOpen(bytes: 10 * 1024 * 1024)))
    return ["rounds": .int(Int64(rounds)), "batchSeconds": .double(batchSeconds), "cases": .array(cases)]
}
