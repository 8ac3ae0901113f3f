/// What the answer callback receives while a run produces text the user can read.
///
/// Concatenating the `delta`s since the last `reset` always gives the answer so far; at the end of
/// a run it equals `SelfMoAResult.text`. `draft` events carry the text of the draft — proposal 0,
/// streamed as it is sampled when `SelfMoAConfiguration.streamDraft` is on — which a client shows
/// until the first `delta` of the answer replaces it. Draft events always come before the
/// answer's.
public enum AnswerEvent: Sendable, Hashable {
    /// More text of the answer.
    case delta(String)
    /// Discard the text received so far: a streamed attempt failed and is retried, or the run
    /// falls back to another text.
    case reset
    /// More text of the draft (proposal 0, not yet the answer).
    case draft(String)
}
