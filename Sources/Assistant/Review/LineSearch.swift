import Foundation
import ModelBackend
import Tools

/// review's line search: where a function fails one of its docstring's examples and no repair
/// of the whole function fixed it, each line of its body is blanked out in turn and the model
/// fills it in (fill-in-the-middle, greedy and two samples, one line). A line the model writes
/// differently, and with which the function passes more of its examples (run in the sandbox,
/// `RepairExamples`), is a finding, with that line as the fix.
///
/// Small coding models asked to "fix this function" mostly return it unchanged; asked what one
/// line should be, with the code above and below it and the docstring in view, they write it
/// as the function needs it — the way they were trained (masked-line repair, as in AlphaRepair,
/// Xia and Zhang 2022). The examples, never the model, decide: nothing is reported unless it
/// makes more of them pass. The line where the fewest changes make the most examples pass wins;
/// a line that makes them all pass ends the search.
struct LineSearch {
    /// Body lines tried at most (the first ones).
    static let maximumLines = 40
    /// Lines of the file above the function given as context.
    static let contextAbove = 40
    /// Samples at 0.7 besides the greedy line.
    static let samples = 2

    let model: any LanguageModel
    let sandbox: DoctestSandbox
    let seed: UInt32?

    /// One line the model wrote that makes more examples pass.
    struct Hit: Sendable, Hashable {
        /// The document line it replaces (0-based).
        var line: Int
        /// The new line, indented like the old.
        var text: String
        var passed: Int
    }

    /// What the search found and cost.
    struct Outcome: Sendable {
        var best: [Hit] = []
        var cost = ModelCallsCost()
    }

    /// The lines of `unit` worth blanking: its body's code lines, not the signature, docstring,
    /// decorators, blank or comment lines.
    static func candidates(in unit: Range<Int>, lines: [String]) -> [Int] {
        guard let definition = unit.first(where: { DoctestExamples.isDefinition(lines[$0]) }) else { return [] }
        let docstring = PythonDocstring.find(in: lines, definition: definition)?.lines
        let signatureEnd = (definition..<unit.upperBound).first { lines[$0].trimmed.hasSuffix(":") } ?? definition
        return Array((signatureEnd + 1..<unit.upperBound).filter { index in
            let line = lines[index]
            return !line.isBlank && !SourceLine.isComment(line) && docstring?.contains(index) != true
        }.prefix(maximumLines))
    }

    /// Searches the candidate lines of `unit` in order; `onLine(k, n)` after the k-th of n.
    func search(
        unit: Range<Int>, lines: [String], evidence: RepairExamples.Evidence, onLine: (Int, Int) -> Void = { _, _ in }
    ) async -> Outcome {
        var outcome = Outcome()
        let start = ContinuousClock.now
        defer { outcome.cost.usage.seconds = (ContinuousClock.now - start).seconds }
        var hits: [Hit] = []
        let candidates = Self.candidates(in: unit, lines: lines)
        for (position, index) in candidates.enumerated() {
            defer { onLine(position + 1, candidates.count) }
            let indentation = Indentation.prefix(of: lines[index])
            let above = lines[max(0, min(unit.lowerBound, index) - Self.contextAbove)..<index]
            let below = lines[(index + 1)..<min(lines.count, unit.upperBound + 5)]
            let prefix = above.joined(separator: "\n") + "\n" + indentation
            let suffix = "\n" + below.joined(separator: "\n") + "\n"
            var written: [String] = []
            for (temperature, n) in [(0.0, 1), (0.7, Self.samples)] {
                let options = SamplingOptions(temperature: temperature, seed: seed, maxTokens: 64, stop: ["\n"])
                do {
                    let completions = try await model.infill(InfillRequest(prefix: prefix, suffix: suffix, options: options, n: n))
                    outcome.cost.count += 1
                    outcome.cost.usage = outcome.cost.usage + completions.reduce(Usage()) { $0 + $1.usage }
                    written += completions.map { indentation + ($0.text.splitLines.first ?? "").trimmed }
                } catch {
                    if !outcome.cost.failures.contains(error.description) { outcome.cost.failures.append(error.description) }
                    return outcome
                }
            }
            var tried: Set<String> = [RepairAlignment.key(lines[index])]
            for text in written where !text.trimmed.isEmpty && tried.insert(RepairAlignment.key(text)).inserted {
                var program = lines
                program[index] = text
                if case .ran(let passed, _) = await sandbox.run(program: program.joined(separator: "\n"), examples: evidence.examples),
                   passed > evidence.passed {
                    hits.append(Hit(line: index, text: text, passed: passed))
                }
            }
            if hits.contains(where: { $0.passed >= evidence.total }) { break }
        }
        outcome.best = Self.best(of: hits)
        return outcome
    }

    /// The hits on the one line to report: the most examples passed, then the line with most
    /// hits, then the first; its hits in order, the first the fix.
    static func best(of hits: [Hit]) -> [Hit] {
        guard let most = hits.map(\.passed).max() else { return [] }
        let top = hits.filter { $0.passed == most }
        let counts = Dictionary(grouping: top, by: \.line).mapValues(\.count)
        guard let line = top.map(\.line).min(by: { (counts[$1] ?? 0, $0) < (counts[$0] ?? 0, $1) }) else { return [] }
        return top.filter { $0.line == line }
    }
}

extension LineSearch {
    /// The finding for the best hits: the failing example, the line, and how many examples
    /// pass with the model's line in its place.
    static func finding(_ best: [Hit], evidence: RepairExamples.Evidence, lines: [String]) -> Finding? {
        guard let fix = best.first else { return nil }
        var message = evidence.summary.map { $0 + ". " } ?? ""
        message += "With this line as `\(fix.text.trimmed)`, \(fix.passed) of \(evidence.total) examples pass (\(evidence.passed) now)."
        return Finding(startLine: fix.line, endLine: fix.line, severity: .warning, message: message, replacement: fix.text)
    }
}

extension Duration {
    /// The duration in seconds.
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
