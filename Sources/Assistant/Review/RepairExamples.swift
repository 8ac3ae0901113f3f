import Tools

/// With `runExamples`, the function's own doctest examples judge its repairs: a repair votes
/// only if, put in place of the function, it passes more of the examples than the function
/// does, and the lines a majority of those repairs change are findings (one such repair is
/// enough: it shows the function failing its own examples and a change that fixes them).
///
/// This turns away the repairs that only "improve" correct code (a loop rewritten, a bound
/// changed), which keep every example passing: where the function passes all its examples, no
/// repair could vote, so none is asked for. Where one fails, the repair request shows the model
/// that example, what it gave and what the docstring says (`Evidence`), as a programmer
/// debugging would see it. The examples are read from the user's docstring (`DoctestExamples`), never from
/// a repair, and run in the `DoctestSandbox`, which is why this is opt-in like complete's
/// `runExamples`. A nested function (the unit `RepairUnits` picks inside another) is judged by
/// the examples of the nearest function around it that has some: they exercise it through its
/// caller. Where the examples cannot judge (no docstring examples, or the file itself does not
/// run) every repair votes, as without the setting.
enum RepairExamples {
    /// What the findings' messages count ("2 of 3 … change this line").
    static let attempts = "repairs that pass more of the docstring's examples"

    /// The function's examples, run against it: how many pass, and the first that fails.
    struct Evidence: Sendable {
        var examples: String
        var passed: Int
        var total: Int
        var firstFailure: DoctestSandbox.ExampleFailure?

        /// Every example passes: no repair can pass more, so none is asked for.
        var allPass: Bool { passed >= total }

        /// What the finding's message leads with: the example, what it gave, what it should.
        var summary: String? {
            firstFailure.map { failure in
                "`\(Self.oneLine(failure.source))` gives `\(Self.oneLine(failure.got))`, the docstring says `\(Self.oneLine(failure.expected))`"
            }
        }

        static func oneLine(_ text: String, limit: Int = 80) -> String {
            let line = text.splitLines.map(\.trimmed).filter { !$0.isEmpty }.joined(separator: " ")
            return line.count > limit ? String(line.prefix(limit - 1)) + "…" : line
        }
    }

    /// The examples of the function `unit` run against the file as it is, or `nil` when they
    /// cannot judge (no examples, or the file does not run).
    static func evidence(unit: Range<Int>, lines: [String], sandbox: DoctestSandbox) async -> Evidence? {
        guard let examples = examples(for: unit, in: lines) else { return nil }
        let report = await sandbox.report(program: lines.joined(separator: "\n"), examples: examples)
        guard case .ran(let passed, let total) = report.outcome else { return nil }
        return Evidence(examples: examples, passed: passed, total: total, firstFailure: report.firstFailure)
    }

    /// The answers that pass more examples than the original.
    static func judge(
        _ answers: [String], unit: Range<Int>, lines: [String], evidence: Evidence, sandbox: DoctestSandbox
    ) async -> [String] {
        var kept: [String] = []
        for answer in answers {
            let code = RepairVote.read(answer).code
            guard !code.isEmpty else { continue }
            let program = Array(lines[..<unit.lowerBound]) + placed(code, as: lines[unit]) + Array(lines[unit.upperBound...])
            if case .ran(let after, _) = await sandbox.run(program: program.joined(separator: "\n"), examples: evidence.examples),
               after > evidence.passed {
                kept.append(answer)
            }
        }
        return kept
    }

    /// The docstring examples of the function `unit` starts with, else of the nearest function
    /// around it (by indentation) whose docstring has some.
    static func examples(for unit: Range<Int>, in lines: [String]) -> String? {
        if let own = DoctestExamples.docstring(in: lines, focus: unit) { return own }
        guard let first = unit.first(where: { !lines[$0].isBlank }) else { return nil }
        var width = Indentation.width(of: lines[first])
        for index in stride(from: first - 1, through: 0, by: -1) where width > 0 {
            let line = lines[index]
            guard !line.isBlank, !SourceLine.isComment(line), Indentation.width(of: line) < width else { continue }
            width = Indentation.width(of: line)
            if DoctestExamples.isDefinition(line), let around = DoctestExamples.docstring(in: lines, focus: index..<index + 1) {
                return around
            }
        }
        return nil
    }

    /// The repair indented like the function it replaces (models often return a method at
    /// column 0).
    static func placed(_ code: [String], as original: ArraySlice<String>) -> [String] {
        guard let target = original.first(where: { !$0.isBlank }).map({ Indentation.prefix(of: $0) }),
              let current = code.first(where: { !$0.isBlank }).map({ Indentation.width(of: $0) })
        else { return code }
        return code.map { $0.isBlank ? $0 : target + Indentation.removing(current, from: $0) }
    }
}
