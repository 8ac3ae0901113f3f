/// The wording of a review request.
///
/// The answer must be machine-readable, so the prompt spells out one line per finding,
/// `L<line> <severity>: <problem>` (or `L<first>-<last> …`), with the line numbers the file is
/// shown with. It is the simplest format that carries a range, a severity and a message: a
/// small model copies a template line reliably, while JSON or tables come back broken. It uses
/// placeholders, not a worked example, because small models copy an example's content as well
/// as its form. Fixes go in a fenced block right after their finding, which models produce
/// naturally. `NO ISSUES` gives a clean way to say nothing is wrong instead of inventing
/// problems, and "do not report style or naming" keeps the findings to what matters. The
/// parser (`ReviewParser`) still tolerates the usual deviations.
enum ReviewPrompt {
    /// The role: only real problems, always with line numbers.
    static let system = "You are a careful code reviewer. You report only real problems, each with its line numbers."

    /// The exact reply when nothing is wrong.
    static let noIssues = "NO ISSUES"

    /// The line format, shared by the request and the aggregation.
    static let format = """
        L<line> <severity>: <problem>
        L<first>-<last> <severity>: <problem>
        """

    /// What to review: `subject` is "this file" or "the selected code (lines 3–9)".
    static func instruction(subject: String, selectionOnly: Bool) -> String {
        """
        Review \(subject) for real problems: bugs, crashes, wrong results, security holes, leaks. \
        Do not report style or naming.\(selectionOnly ? " Report only problems in the selected lines." : "")
        Write each problem on its own line, with the line numbers shown before "|":
        \(format)
        <severity> is error, warning, info or hint. To suggest a fix, put the corrected lines right \
        after the problem in a ``` block, without line numbers.
        If there are no problems, reply only: \(noIssues)
        """
    }

    /// The synthesis keeps the format, and merges what several candidates found.
    static let answerFormat = """
        Reply in the same format: each problem on its own line as `L<line> <severity>: <problem>` or \
        `L<first>-<last> <severity>: <problem>`, optionally followed by a ``` block with the corrected \
        lines. Report each real problem once, even if several candidates found it. If none is real, \
        reply only: \(noIssues)
        """
}
