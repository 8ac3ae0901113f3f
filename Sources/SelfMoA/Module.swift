import ModelBackend

// The SelfMoA module: the Self-MoA engine.
//
// It owns the method and nothing else: sampling N proposals from one model (temperature 0.7,
// distinct seeds, one `n`-sample request where the backend prefills once, concurrent requests
// otherwise), aggregating them with the same model at temperature 0 (streamed), the sliding
// window of Self-MoA-Seq when the candidates do not fit the aggregator's context, the token budget
// that chooses between the two and trims the file context, degrading when calls fail, and the
// cost of every run. It is pure: it reaches a model only through `LanguageModel` (from
// `ModelBackend`), does no I/O of its own and logs nothing; callers learn what happens through
// the progress and answer callbacks and the returned `SelfMoAResult`. Choosing among candidates
// is part of the method: optionally a greedy proposal in the set, a caller-supplied
// `CandidateChecker` (the engine never runs tools itself) that drops proposals failing checks
// others pass and guards the synthesis, and agreement between proposals, measured always and
// optionally deciding the answer without aggregation (`CandidateSelection` reports it); or,
// instead of a synthesis, the central proposal (`AnswerSource.central`, `TokenSimilarity`).
//
// Entry point: `SelfMoAEngine.run(_:onProgress:onAnswer:)` with a `SelfMoATask` (what to ask,
// with the file context in structured form) under a `SelfMoAConfiguration`.

// The engine's API speaks `ModelBackend`'s value types (`Usage`, `ModelBackendError`,
// `LanguageModel`), so clients of this module see them without importing it themselves.
import ModelBackend
