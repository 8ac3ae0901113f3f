import JSONRPC

/// Properties of `MessageFramer` on any byte stream.
///
/// - The events do not depend on how the stream is cut into reads: the input fed whole, byte by
///   byte (up to 2 KiB) and in chunks of input-derived sizes gives the same events.
/// - With a body limit, no message longer than the limit comes out.
/// - Pieces of the input framed with `MessageFramer.frame` come back exactly, in order, however
///   the stream is chunked.
public enum FramerChecks {
    public static func check(_ data: [UInt8]) -> [String] {
        var violations: [String] = []
        var random = InputRandom(seed: data)

        let whole = events(data, chunks: [data.count], limit: 1 << 20)
        if data.count <= 2048 {
            let byteByByte = events(data, chunks: Array(repeating: 1, count: data.count), limit: 1 << 20)
            if byteByByte != whole {
                violations.append("framer: byte-by-byte reads give other events than one read (\(data.preview))")
            }
        }
        let chunks = randomChunks(total: data.count, random: &random)
        if events(data, chunks: chunks, limit: 1 << 20) != whole {
            violations.append("framer: reads of \(chunks) give other events than one read (\(data.preview))")
        }

        let limit = 1 + random.below(64)
        for event in events(data, chunks: randomChunks(total: data.count, random: &random), limit: limit) {
            if case .message(let body) = event, body.count > limit {
                violations.append("framer: a body of \(body.count) bytes passed the limit of \(limit)")
            }
        }

        // Cut the input into bodies at 0xFF bytes and frame them: exactly those bodies come back.
        let bodies = data.split(separator: 0xFF, omittingEmptySubsequences: false).map(Array.init)
        let stream = bodies.flatMap { MessageFramer.frame($0) }
        let framed = events(stream, chunks: randomChunks(total: stream.count, random: &random), limit: 1 << 20)
        if framed != bodies.map(MessageFramer.Event.message) {
            violations.append("framer: \(bodies.count) framed bodies came back as \(framed.count) events")
        }
        return violations
    }

    /// The events of `data` read in `chunks` (sizes summing to its length).
    static func events(_ data: [UInt8], chunks: [Int], limit: Int) -> [MessageFramer.Event] {
        var framer = MessageFramer(maximumBodyLength: limit)
        var events: [MessageFramer.Event] = []
        var offset = 0
        for size in chunks {
            framer.append(data[offset..<offset + size])
            offset += size
            while let event = framer.next() { events.append(event) }
        }
        return events
    }

    private static func randomChunks(total: Int, random: inout InputRandom) -> [Int] {
        var chunks: [Int] = []
        var left = total
        while left > 0 {
            let size = min(left, 1 + random.below(random.below(4) == 0 ? 4096 : 40))
            chunks.append(size)
            left -= size
        }
        return chunks
    }
}
