import Foundation
import ModelBackend
import SelfMoA

/// explain's round trip (`roundTrip`): an explanation is worth more the more of the code it
/// lets a reader rebuild. Each sound candidate (`ProseChecker`) is handed, with its code blocks
/// removed, to the same model at temperature 0 with only the code's first line, and the code it
/// writes back is compared with the explained code (`TokenSimilarity` over the tokens without
/// comments). The candidate's level is 1 plus that similarity in steps of 1/`resolution`, so
/// the answer is chosen among the candidates whose rewrite came closest, the central one (or
/// the greedy one) on a tie.
///
/// Small models explain what code is meant to do rather than what it does (a loop that
/// overwrites a total "sums" it): such an explanation rebuilds the intended code, not this
/// code, and ranks below one that says what the lines do. This is the verify step of
/// HumanEvalExplain (OctoPack) turned into a choice; it costs one greedy answer per sound
/// candidate, sent together. A round trip that fails leaves the candidate at level 1.
struct RoundTripChecker: CandidateChecker {
    /// Similarity steps per level (0.05 apart).
    static let resolution = 20.0
    /// Code longer than this (characters) is not rebuilt: no round trip.
    static let maximumCharacters = 6_000

    let model: any LanguageModel
    /// The explained lines.
    let code: [String]
    let language: String
    let ledger: RoundTripLedger

    /// The checker for `code`, or `nil` when it is too long or has no line to start from.
    init?(model: any LanguageModel, code: [String], language: String, ledger: RoundTripLedger) {
        guard Self.firstLine(of: code) != nil, code.reduce(0, { $0 + $1.count + 1 }) <= Self.maximumCharacters else { return nil }
        self.model = model
        self.code = code
        self.language = language
        self.ledger = ledger
    }

    func check(_ candidate: String) async -> CandidateCheck { await check(candidate, cutOff: false) }

    func check(_ candidate: String, cutOff: Bool) async -> CandidateCheck {
        let prose = await ProseChecker().check(candidate, cutOff: cutOff)
        guard prose.failure == nil, let firstLine = Self.firstLine(of: code) else { return prose }
        let description = Self.description(of: candidate)
        let characters = code.reduce(0) { $0 + $1.count + 1 }
        let request = ChatRequest(
            messages: [.system(RoundTripPrompt.system),
                       .user(RoundTripPrompt.message(description: description, firstLine: firstLine, language: language))],
            options: SamplingOptions(temperature: 0, maxTokens: characters / 3 + 64))
        let rewrite: Completion
        do {
            guard let first = try await model.complete(request).first else { return prose }
            rewrite = first
        } catch {
            await ledger.record(failure: error.description)
            return CandidateCheck(level: 1, notes: ["a round trip failed: \(error.description)"])
        }
        await ledger.record(rewrite.usage)
        let rebuilt = CodeExtractor.extract(rewrite.text, marker: "").joined(separator: "\n")
        let similarity = TokenSimilarity.similarity(
            CodeNormalizer.tokens(rebuilt, language: language), CodeNormalizer.tokens(code.joined(separator: "\n"), language: language))
        return CandidateCheck(level: 1 + Int((similarity * Self.resolution).rounded()))
    }

    /// The first line that is neither blank nor a comment: what the rewrite starts from.
    static func firstLine(of code: [String]) -> String? {
        code.first { !$0.isBlank && !SourceLine.isComment($0) }.map(\.trimmed)
    }

    /// The explanation without its code blocks: what it says, not what it quotes.
    static func description(of explanation: String) -> String {
        var inCode = false
        return explanation.splitLines.filter { line in
            if line.trimmed.hasPrefix("```") {
                inCode.toggle()
                return false
            }
            return !inCode
        }.joined(separator: "\n").trimmed
    }
}

/// What explain's round trips cost, gathered while the candidates are checked (concurrently).
actor RoundTripLedger {
    private(set) var cost = ModelCallsCost()

    func record(_ usage: Usage) {
        // The run waits for the round trips: their time is already in its total.
        var usage = usage
        usage.seconds = 0
        cost.usage = cost.usage + usage
        cost.count += 1
    }

    func record(failure: String) {
        cost.count += 1
        if !cost.failures.contains(failure) { cost.failures.append(failure) }
    }
}
