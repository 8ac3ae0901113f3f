/// `selfmoa-bench`: the Swift side of the benchmarks in `bench/`.
///
/// - `selfmoa-bench codec [--quick]`: our `JSON` module against Foundation (see
///   `CodecBenchmark.swift`). Prints one JSON object.
/// - `selfmoa-bench run explain|complete FILE [--line L] [--end] [--backend-url URL |
///   --backend-model NAME --threads N] [--proposal-cache DIR] [--settings JSON]`: runs one
///   action through `Assistant`, as the `selfmoa-lsp` one-shot commands do, with any
///   `ActionSettings` (JSON), and prints the answer, the cost report with its phases, the
///   proposals and the time to the first answer token as one JSON object.
///   Without `--backend-url` it runs the embedded backend (`--backend-model`: its model), which
///   starts a managed server for each other catalogue model an `aggregatorModel` names. With
///   `--proposal-cache` proposals are recorded there and replayed when a run asks for the same
///   samples again (`ProposalCache`), so aggregation variants share one set of proposals.

import Foundation
import JSON

#if canImport(Glibc)
import Glibc
#endif

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data(("selfmoa-bench: " + message + "\n").utf8))
    exit(2)
}

let arguments = Array(CommandLine.arguments.dropFirst())
do {
    switch arguments.first {
    case "codec":
        print(try codecBenchmark(quick: arguments.contains("--quick")).serialized())
    case "run":
        print(try await ActionRun(arguments: Array(arguments.dropFirst())).run().serialized())
    default:
        fail("usage: selfmoa-bench codec [--quick] | run explain|complete FILE [--line L] [--end] [--backend-url URL | --backend-model NAME --threads N] [--proposal-cache DIR] [--settings JSON]")
    }
} catch {
    fail("\(error)")
}
