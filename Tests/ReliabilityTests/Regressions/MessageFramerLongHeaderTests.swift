import JSONRPC
import Testing

/// A header block longer than the limit is skipped whether or not its blank line has arrived
/// yet. The framer used to skip it only when the limit passed before the blank line was read, so
/// the same bytes gave "header block longer than …" in small reads and "without Content-Length"
/// (or a message) in one read.
@Suite struct MessageFramerLongHeaderTests {
    private func events(_ bytes: [UInt8], chunk: Int) -> [MessageFramer.Event] {
        var framer = MessageFramer()
        var events: [MessageFramer.Event] = []
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + chunk)
            framer.append(bytes[offset..<end])
            offset = end
            while let event = framer.next() { events.append(event) }
        }
        return events
    }

    @Test func aTooLongBlockIsSkippedHoweverTheReadsFall() {
        let stream = Array(("X-Long: " + String(repeating: "x", count: 9_000) + "\r\n\r\n").utf8)
            + MessageFramer.frame(Array("{}".utf8))
        let whole = events(stream, chunk: stream.count)
        #expect(whole.first == .skipped("header block longer than 8192 bytes"))
        #expect(whole.last == .message(Array("{}".utf8)))
        for chunk in [7, 4096, 8192, 8500] {
            #expect(events(stream, chunk: chunk) == whole, "reads of \(chunk) bytes")
        }
    }

    @Test func aBlockOfExactlyTheLimitIsRead() {
        let head = "Content-Length: 2\r\nX-Pad: "
        let padding = String(repeating: "p", count: 8192 - head.utf8.count - 4)
        let stream = Array((head + padding + "\r\n\r\n{}").utf8)
        for chunk in [5, 100, 8191, 8192, stream.count] {
            #expect(events(stream, chunk: chunk) == [.message(Array("{}".utf8))], "reads of \(chunk) bytes")
        }
        // One byte more is too long.
        let longer = Array((head + padding + "p\r\n\r\n{}").utf8)
        for chunk in [5, 8192, longer.count] {
            #expect(events(longer, chunk: chunk).first == .skipped("header block longer than 8192 bytes"), "reads of \(chunk) bytes")
        }
    }
}
