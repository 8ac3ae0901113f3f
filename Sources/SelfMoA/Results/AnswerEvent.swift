/// What the answer callback receives while the final answer is produced.
///
/// Concatenating the deltas since the last `reset` always gives the answer so far; at the end of
/// a run it equals `SelfMoAResult.text`.
public enum AnswerEvent: Sendable, Hashable {
    /// More text of the answer.
    case delta(String)
    /// Discard the text received so far: a streamed attempt failed and is retried, or the run
    /// falls back to another text.
    case reset
}
