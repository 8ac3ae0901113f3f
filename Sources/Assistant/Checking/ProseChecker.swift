import Foundation
import SelfMoA

/// Judges a prose answer (an explanation, an answer to a question) before it can be chosen or
/// kept: one that stopped at its token cap, or that says a line or sentence twice, ranks below
/// one that does neither.
///
/// Small models degenerate in these two ways — they run on past the cap, or loop on a bullet —
/// and either is worse for the reader than a complete, plainer answer. With `answer: central`
/// the central answer is chosen among the sound ones; with a synthesis, a degenerate synthesis
/// gives way to the best sound proposal.
struct ProseChecker: CandidateChecker {
    func check(_ candidate: String) async -> CandidateCheck { await check(candidate, cutOff: false) }

    func check(_ candidate: String, cutOff: Bool) async -> CandidateCheck {
        if cutOff { return CandidateCheck(level: 0, failure: "stopped at its token cap") }
        if let repeated = RepeatedText.firstRepeat(in: candidate) {
            return CandidateCheck(level: 0, failure: "says \"\(repeated.prefix(60))\" twice")
        }
        return CandidateCheck(level: 1)
    }
}

/// Finds a line or sentence a text says twice, outside code blocks.
enum RepeatedText {
    /// Units shorter than this many words (headings, "Returns:") may repeat.
    static let minimumWords = 4

    /// The first line or sentence of at least `minimumWords` words that appeared before, compared
    /// without case, punctuation or list markers; `nil` when there is none.
    static func firstRepeat(in text: String) -> String? {
        var seen: Set<String> = []
        var inCode = false
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("```") {
                inCode.toggle()
                continue
            }
            if inCode { continue }
            let item = strippingListMarker(line)
            var units = [item]
            let sentences = sentences(of: item)
            if sentences.count > 1 { units += sentences }
            for unit in units {
                let key = normalised(unit)
                if key.split(separator: " ").count < minimumWords { continue }
                if !seen.insert(key).inserted { return unit }
            }
        }
        return nil
    }

    private static func strippingListMarker(_ line: String) -> String {
        var rest = Substring(line)
        if let first = rest.first, "-*+".contains(first), rest.dropFirst().first == " " {
            rest = rest.dropFirst(2)
        } else {
            let digits = rest.prefix { $0.isNumber }
            let after = rest.dropFirst(digits.count)
            if !digits.isEmpty, let mark = after.first, mark == "." || mark == ")", after.dropFirst().first == " " {
                rest = after.dropFirst(2)
            }
        }
        return rest.trimmingCharacters(in: .whitespaces)
    }

    private static func sentences(of text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var previous: Character?
        for character in text {
            if character == " ", let previous, ".!?".contains(previous) {
                result.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
            previous = character
        }
        let last = current.trimmingCharacters(in: .whitespaces)
        if !last.isEmpty { result.append(last) }
        return result
    }

    private static func normalised(_ text: String) -> String {
        let words = text.lowercased().unicodeScalars
            .map { CharacterSet.alphanumerics.contains($0) ? Character($0) : " " }
        return String(words).split(separator: " ").joined(separator: " ")
    }
}
