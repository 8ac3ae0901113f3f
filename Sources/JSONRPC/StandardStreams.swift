#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// File-descriptor transport for the connection: a blocking reader thread feeding an
/// `AsyncStream`, and a writer that writes whole frames.
public enum StandardStreams {
    /// Reads `fd` on a dedicated thread until end of file or an error.
    public static func input(fileDescriptor fd: Int32, chunkSize: Int = 64 * 1024) -> AsyncStream<[UInt8]> {
        let (stream, continuation) = AsyncStream<[UInt8]>.makeStream(bufferingPolicy: .unbounded)
        let thread = Thread {
            var buffer = [UInt8](repeating: 0, count: chunkSize)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, chunkSize) }
                if count > 0 {
                    continuation.yield(Array(buffer[0..<count]))
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            continuation.finish()
        }
        thread.name = "selfmoa-stdin"
        thread.start()
        return stream
    }

    /// A writer for `fd` that writes every byte, retrying on EINTR. Write errors (the client is
    /// gone) are swallowed: the reader will see end of file and the server will stop.
    public static func output(fileDescriptor fd: Int32) -> @Sendable ([UInt8]) -> Void {
        return { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { raw in
                    write(fd, raw.baseAddress! + offset, bytes.count - offset)
                }
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }
}
