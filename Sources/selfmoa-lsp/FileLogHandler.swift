import Foundation
import Logging
import Synchronization

/// A swift-log handler appending lines to a file (swift-log ships only stream handlers).
struct FileLogHandler: LogHandler {
    private final class Sink: Sendable {
        let handle: FileHandle
        let lock = Mutex(())
        init(handle: FileHandle) { self.handle = handle }
        func write(_ line: String) {
            lock.withLock { _ in handle.write(Data(line.utf8)) }
        }
    }

    private let sink: Sink
    private let label: String
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    init(label: String, path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
            }
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        handle.seekToEndOfFile()
        self.sink = Sink(handle: handle)
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
        let meta = all.isEmpty ? "" : " " + all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let stamp = ISO8601DateFormatter().string(from: Date())
        sink.write("\(stamp) \(event.level) \(label):\(meta) \(event.message)\n")
    }
}
