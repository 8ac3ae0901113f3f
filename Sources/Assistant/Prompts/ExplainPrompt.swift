/// The wording of an explain request.
///
/// Short sentences with one instruction each: a 0.5B model follows a few plain imperatives far
/// better than a paragraph of nuance. The shape it asks for (one summary sentence, then bullets)
/// is easy to produce, easy to read in a hover-sized popup, and easy for the aggregator to merge
/// point by point. "Do not repeat the code" keeps small models from echoing the selection,
/// their most common way of wasting the token budget.
enum ExplainPrompt {
    /// The role: accuracy first, brevity second, for a programmer (no basics explained).
    static let system = "You are an expert programmer. You explain code accurately and briefly to another programmer."

    /// What to explain: `subject` is "this file" or "the selected code (lines 3–9)".
    static func instruction(subject: String) -> String {
        """
        Explain \(subject): what it does, how it works, and anything a reader could miss, such as \
        edge cases, side effects or bugs. Start with one sentence that sums it up, then give at most \
        six short bullet points, under 150 words in all. Use Markdown, put names in `backticks`, \
        and do not repeat the code.
        """
    }

    /// Pins the synthesis to the same shape, so it is one explanation, not a comparison.
    static let answerFormat =
        "Reply with the explanation only, in Markdown: one sentence that sums it up, then a few short bullet points."
}
