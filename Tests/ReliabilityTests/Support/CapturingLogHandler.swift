import Logging
import Synchronization

/// A `LogHandler` that keeps every line, to check what the server logs.
struct CapturingLogHandler: LogHandler {
    final class Lines: Sendable {
        let lines = Mutex<[(level: Logger.Level, message: String)]>([])
        var all: [(level: Logger.Level, message: String)] { lines.withLock { $0 } }
    }

    let captured: Lines
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        captured.lines.withLock { $0.append((event.level, event.message.description)) }
    }

    /// A logger at trace level and where its lines go.
    static func logger() -> (Logger, Lines) {
        let lines = Lines()
        return (Logger(label: "captured", factory: { _ in CapturingLogHandler(captured: lines) }), lines)
    }
}
