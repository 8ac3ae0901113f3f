import Assistant
import JSON
import JSONRPC
import ModelBackend
import SelfMoA

extension LanguageServer {
    /// The one mapping from an error to what a request answers:
    ///
    /// - a `ResponseError` as it is;
    /// - cancellation (`CancellationError`, a backend call cancelled) → `-32800`;
    /// - what a user can act on — the backend's errors, the engine's refusals, a change that
    ///   cannot be read, a setting — → `-32803` (request failed) with its message;
    /// - params that do not decode → `-32602` naming the field;
    /// - anything else → `-32603` naming it.
    static func responseError(_ error: any Error) -> ResponseError {
        switch error {
        case let error as ResponseError: return error
        case is CancellationError: return .requestCancelled
        case let error as ModelBackendError: return error.code == .cancelled ? .requestCancelled : .requestFailed(error.message)
        case let error as SelfMoAError: return .requestFailed(error.message)
        case let error as ChangesError: return .requestFailed(error.message)
        case let error as SettingsError: return .requestFailed(error.message)
        case let error as DecodingError: return .invalidParams("invalid params: \(error.humanDescription)")
        default: return .internalError("\(error)")
        }
    }

    /// What a failed command replies, after ending its progress: cancellation stays
    /// cancellation; an error the user can act on is also shown (`window/showMessage`).
    func failure(_ error: any Error, progress: WorkDoneProgress, what: String) -> any Error {
        let response = Task.isCancelled ? ResponseError.requestCancelled : Self.responseError(error)
        if response.code == ResponseError.requestCancelledCode {
            progress.end("cancelled")
            return CancellationError()
        }
        progress.end("failed")
        if response.code == ResponseError.requestFailedCode { showMessage(1, "\(what) failed: \(response.message)") }
        return response
    }
}
