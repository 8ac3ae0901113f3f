extension ModelBackendError {
    /// Nothing accepted a connection at `url`.
    static func unreachable(_ url: String, detail: String) -> ModelBackendError {
        ModelBackendError(
            .unreachable,
            "nothing answers at \(url) (\(detail)): is the server running? check backend.url"
        )
    }

    /// The server refused the request's credentials.
    static func unauthorized(_ url: String, status: Int, apiKeyEnv: String?, keyPresent: Bool) -> ModelBackendError {
        let advice: String
        switch (apiKeyEnv, keyPresent) {
        case (let name?, true):
            advice = "check the key in the environment variable \(name)"
        case (let name?, false):
            advice = "the environment variable \(name) (backend.apiKeyEnv) is not set or empty; export the key in it"
        case (nil, _):
            advice = "set backend.apiKeyEnv to the name of an environment variable that holds the API key"
        }
        return ModelBackendError(.unauthorized, "the server at \(url) refused the request (HTTP \(status)): \(advice)")
    }

    /// The model or the endpoint does not exist on the server.
    static func modelNotFound(_ url: String, path: String, model: String?, detail: String) -> ModelBackendError {
        let what = model.map { "no model '\($0)' or no endpoint \(path)" } ?? "no endpoint \(path)"
        return ModelBackendError(
            .modelNotFound,
            "the server at \(url) has \(what) (HTTP 404\(detail.isEmpty ? "" : ": \(detail)")): check backend.model and backend.url"
        )
    }

    /// The prompt does not fit the context window.
    static func contextOverflow(_ detail: String) -> ModelBackendError {
        ModelBackendError(
            .contextOverflow,
            "the prompt does not fit the model's context (\(detail)): select less text or raise the server's context size"
        )
    }

    /// A time limit passed.
    static func timeout(_ what: String, after limit: Duration, url: String) -> ModelBackendError {
        ModelBackendError(
            .timeout,
            "\(what) within \(limit.secondsDescription) from \(url): the server is overloaded or stuck; try again or raise the timeout"
        )
    }

    /// The answer is not the shape of the API.
    static func badResponse(_ url: String, _ detail: String) -> ModelBackendError {
        ModelBackendError(
            .badResponse,
            "the server at \(url) answered something that is not an OpenAI-compatible response (\(detail)): check backend.url"
        )
    }

    /// The caller cancelled.
    static var cancelledByCaller: ModelBackendError {
        ModelBackendError(.cancelled, "the request was cancelled")
    }
}

extension Duration {
    /// "5 s", "1.5 s", "250 ms".
    var secondsDescription: String {
        let (seconds, attoseconds) = components
        if seconds == 0 { return "\(attoseconds / 1_000_000_000_000_000) ms" }
        let tenths = attoseconds / 100_000_000_000_000_000
        return tenths == 0 ? "\(seconds) s" : "\(seconds).\(tenths) s"
    }

    /// The duration as fractional seconds.
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
