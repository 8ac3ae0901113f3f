import ModelBackend

/// The aggregator's prompt: our wording of the Mixture-of-Agents instruction, the numbered and
/// delimited candidates, and the two layouts (prefix reuse and classic MoA).
public enum AggregationPrompt {
    /// Heads the list of candidates.
    public static let candidatesHeading = "Candidate answers:"

    /// The instruction of `style`, ending with `answerFormat`: for `.synthesize`, weigh the
    /// candidates critically and write one better answer; for `.consensus`, keep the answer
    /// they agree on or the one that is right.
    public static func instruction(answerFormat: String?, style: AggregationStyle = .synthesize) -> String {
        let format = answerFormat ?? "Reply with the final answer only, in the form the request asks for."
        switch style {
        case .synthesize:
            return """
                The candidate answers to the request were each written independently and are numbered in \
                <candidate N> tags. Treat them as drafts, not authorities: any of them may be wrong, \
                incomplete or biased. Check each point against the code and the request, keep what is \
                correct, fix what is wrong, drop what is unsupported, and combine their strengths. Then \
                write one answer of your own that is better than every candidate, rather than copying any \
                single one, and do not mention the candidates or this comparison. \
                \(format)
                """
        case .consensus:
            return """
                The candidate answers to the request were each written independently and are numbered in \
                <candidate N> tags; any of them may be wrong. Work out what the request needs, then \
                find the candidates that do it correctly: where most candidates agree, that is usually \
                right; where they differ, check each against the code and the request and keep the one \
                that is correct, fixing only clear mistakes. You may repeat the best candidate \
                unchanged. Do not mention the candidates or this comparison. \
                \(format)
                """
        }
    }

    /// One candidate, delimited: `<candidate 3>`, the text, `</candidate 3>`.
    public static func candidate(number: Int, text: String) -> String {
        "<candidate \(number)>\n\(text)\n</candidate \(number)>"
    }

    /// The candidates numbered from 1, separated by blank lines.
    public static func candidates(_ texts: [String]) -> String {
        texts.enumerated().map { candidate(number: $0.offset + 1, text: $0.element) }.joined(separator: "\n\n")
    }

    /// The aggregator's messages for `candidates` after the proposers' `prompt` (system + user).
    ///
    /// With `prefixReuse` the result starts with exactly `prompt` and adds one user message with
    /// the candidates and the instruction, so a caching backend skips re-reading the file
    /// context. Without it, the classic MoA layout: the instruction and candidates appended to
    /// the system message, then the same user message.
    public static func messages(
        prompt: [ChatMessage],
        candidates texts: [String],
        answerFormat: String?,
        prefixReuse: Bool,
        style: AggregationStyle = .synthesize
    ) -> [ChatMessage] {
        let instruction = instruction(answerFormat: answerFormat, style: style)
        let listed = candidatesHeading + "\n\n" + candidates(texts)
        if prefixReuse {
            return prompt + [.user(listed + "\n\n" + instruction)]
        }
        var messages = prompt
        if let index = messages.firstIndex(where: { $0.role == .system }) {
            messages[index].content += "\n\n" + instruction + "\n\n" + listed
        } else {
            messages.insert(.system(instruction + "\n\n" + listed), at: 0)
        }
        return messages
    }

    /// The text the budget counts once per run: the aggregation message without candidates.
    static func scaffold(answerFormat: String?, style: AggregationStyle = .synthesize) -> String {
        candidatesHeading + "\n\n\n\n" + instruction(answerFormat: answerFormat, style: style)
    }

    /// The text the budget counts per candidate besides the candidate itself.
    static func candidateOverhead(largestNumber: Int) -> String {
        candidate(number: largestNumber, text: "") + "\n\n"
    }
}
