import Foundation
import JSON
import JSONRPC
import Synchronization

/// One work-done progress (LSP `$/progress`): begin, reports, end, on a token the client gave
/// (`workDoneToken`) or one we create with `window/workDoneProgress/create`. A client that
/// supports neither gets nothing. Reports with an unchanged message are not sent twice.
final class WorkDoneProgress: Sendable {
    let token: JSONValue?
    private let connection: Connection
    private let last = Mutex<(message: String, percentage: Int)?>(nil)
    private let ended = Mutex(false)

    private init(token: JSONValue?, connection: Connection) {
        self.token = token
        self.connection = connection
    }

    /// Starts a progress titled `title`.
    static func begin(
        title: String, message: String, clientToken: JSONValue?, clientSupportsCreate: Bool, connection: Connection
    ) async -> WorkDoneProgress {
        var token = clientToken
        if token == nil && clientSupportsCreate {
            let created: JSONValue = .string("selfmoa-\(UUID().uuidString)")
            do {
                _ = try await connection.sendRequest("window/workDoneProgress/create", ["token": created])
                token = created
            } catch {
                token = nil  // the client refused: run without progress
            }
        }
        let progress = WorkDoneProgress(token: token, connection: connection)
        progress.send(["kind": "begin", "title": .string(title), "message": .string(message), "percentage": 0, "cancellable": true])
        return progress
    }

    /// Reports `message` at `fraction` (0…1).
    func report(_ message: String, fraction: Double) {
        let percentage = max(0, min(100, Int((fraction * 100).rounded())))
        let changed = last.withLock { last -> Bool in
            if let last, last.message == message && last.percentage == percentage { return false }
            last = (message, percentage)
            return true
        }
        guard changed, !ended.withLock({ $0 }) else { return }
        send(["kind": "report", "message": .string(message), "percentage": .int(Int64(percentage))])
    }

    /// Reports `message` at the percentage reported last (a state, not a step: "waiting for
    /// the model server").
    func report(_ message: String) {
        let percentage = last.withLock { $0?.percentage ?? 0 }
        report(message, fraction: Double(percentage) / 100)
    }

    /// Ends the progress (once).
    func end(_ message: String) {
        let first = ended.withLock { ended -> Bool in
            defer { ended = true }
            return !ended
        }
        if first { send(["kind": "end", "message": .string(message)]) }
    }

    private func send(_ value: JSONValue) {
        guard let token else { return }
        connection.sendNotification("$/progress", ["token": token, "value": value])
    }
}
