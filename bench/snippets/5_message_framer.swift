/// The LSP base protocol's framing as a value type: feed it bytes as they arrive, take out whole
/// message bodies. No I/O, so it is tested byte by byte.
///
/// A frame is a header block (`Name: value` lines ended by `\r\n`, then an empty line) followed by
/// `Content-Length` bytes of body. `Content-Type` and unknown headers are tolerated; bare `\n`
/// line ends are accepted too. A header block without a usable `Content-Length` cannot be
/// followed, so it is reported and the framer resynchronises on the next `Content-Length:` line.
public struct MessageFramer: Sendable {
    /// What the framer found.
    public enum Event: Sendable, Equatable {
        /// A complete message body.
        case message([UInt8])
        /// A header block or body that had to be skipped, with the reason (for the log).
        case skipped(String)
    }

    /// Bodies larger than this are discarded (and reported) rather than buffered.
    public let maximumBodyLength: Int

    private var buffer: [UInt8] = []
    private var start = 0
    private var pendingLength: Int?
    private var discarding = 0
    private var resynchronising = false

    /// The largest header block we read before giving up on it.
    static let maximumHeaderLength = 8 * 1024

    public init(maximumBodyLength: Int = 256 * 1024 * 1024) {
        self.maximumBodyLength = maximumBodyLength
    }

    /// Appends newly read bytes.
    public mutating func append(_ bytes: some Collection<UInt8>) {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next event, or `nil` when more bytes are needed.
    public mutating func next() -> Event? {
        while true {
            if discarding > 0 {
                let available = buffer.count - start
                let drop = min(available, discarding)
                start += drop
                discarding -= drop
                if discarding > 0 { return nil }
                continue
            }
            if let length = pendingLength {
                guard buffer.count - start >= length else { return nil }
                let body = Array(buffer[start..<start + length])
                start += length
                pendingLength = nil
                return .message(body)
            }
            if resynchronising {
                guard let found = findContentLengthLine() else {
                    // Keep a tail that might hold the start of "Content-Length:".
                    let keep = min(buffer.count - start, 15)
                    start = buffer.count - keep
                    return nil
                }
                start = found
                resynchronising = false
            }
            guard let (headerEnd, bodyStart) = findHeaderEnd() else {
                if buffer.count - start > Self.maximumHeaderLength {
                    resynchronising = true
                    start += 1
                    return .skipped("header block longer than \(Self.maximumHeaderLength) bytes")
                }
                return nil
            }
            let header = Array(buffer[start..<headerEnd])
            start = bodyStart
            switch Self.contentLength(in: header) {
            case .success(let length):
                if length > maximumBodyLength {
                    discarding = length
                    return .skipped("message of \(length) bytes exceeds the limit of \(maximumBodyLength)")
                }
                pendingLength = length
            case .failure(let reason):
                // Skip leading blank lines silently (some clients send an extra CRLF).
                if header.allSatisfy({ $0 == 0x0D || $0 == 0x0A }) { continue }
                resynchronising = true
                return .skipped(reason.text)
            }
        }
    }

    /// Offset just past the blank line ending the header block, and where the header ends.
    private func findHeaderEnd() -> (Int, Int)? {
        var index = start
        let end = buffer.count
        while index < end {
            if buffer[index] == 0x0A {
                // "\n\n" or "\n\r\n" ends the header block.
                if index + 1 < end && buffer[index + 1] == 0x0A { return (index, index + 2) }
                if index + 2 < end && buffer[index + 1] == 0x0D && buffer[index + 2] == 0x0A {
                    return (index, index + 3)
                }
                if index == start { return (index, index + 1) }
            }
            index += 1
        }
        return nil
    }

    private func findContentLengthLine() -> Int? {
        let needle = Array("content-length:".utf8)
        var index = start
        while index + needle.count <= buffer.count {
            // Anywhere, not only at a line start: a skipped body runs straight into the next header.
            var matches = true
            for (offset, byte) in needle.enumerated() where Self.lowercased(buffer[index + offset]) != byte {
                matches = false
                break
            }
            if matches { return index }
            index += 1
        }
        return nil
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte + 0x20 : byte
    }

    private struct HeaderProblem: Error { var text: String }

    private static func contentLength(in header: [UInt8]) -> Result<Int, HeaderProblem> {
        let text = String(decoding: header, as: UTF8.self)
        var length: Int?
        for rawLine in text.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            let line = rawLine.trimmingCharacters(in: "\r")
            guard let colon = line.firstIndex(of: ":") else {
                if line.isEmpty { continue }
                return .failure(HeaderProblem(text: "malformed header line \"\(line.prefix(80))\""))
            }
            let name = line[..<colon].trimmingCharacters(in: " \t").lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: " \t")
            if name == "content-length" {
                guard let parsed = Int(value), parsed >= 0 else {
                    return .failure(HeaderProblem(text: "invalid Content-Length \"\(value.prefix(40))\""))
                }
                length = parsed
            }
        }
        guard let length else {
            return .failure(HeaderProblem(text: "header block without Content-Length skipped"))
        }
        return .success(length)
    }

    /// Frames one body for sending.
    public static func frame(_ body: [UInt8]) -> [UInt8] {
        var out = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
        out.reserveCapacity(out.count + body.count)
        out.append(contentsOf: body)
        return out
    }
}

extension StringProtocol {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice = slice.dropFirst() }
        while let last = slice.last, set.contains(last) { slice = slice.dropLast() }
        return String(slice)
    }
}
