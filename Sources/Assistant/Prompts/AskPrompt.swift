/// The wording of a question about code.
///
/// The same plain imperatives as `ExplainPrompt`, with the user's question quoted verbatim: every
/// proposal and the synthesis see it, so the answer is about what was asked, not a general
/// explanation. "Answer first" keeps small models from burying the answer under a summary of
/// the code.
enum AskPrompt {
    /// The role, as for explain: accuracy first, brevity second.
    static let system = "You are an expert programmer. You answer questions about code accurately and briefly."

    /// The question about `subject` ("this file", "the selected code (lines 3–9)").
    static func instruction(subject: String, question: String) -> String {
        """
        Answer this question about \(subject):

        \(question)

        Answer the question directly first, then justify it briefly from the code, naming the lines \
        or names it depends on. If the code alone cannot answer it, say so and say what it depends on. \
        Use Markdown, put names in `backticks`, and do not repeat the code.
        """
    }

    /// Pins the synthesis to an answer of the question, not a comparison of candidates.
    static let answerFormat =
        "Reply with the answer to the question only, in Markdown: the direct answer first, then a short justification from the code."
}
