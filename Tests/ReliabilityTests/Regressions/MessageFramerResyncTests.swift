import JSONRPC
import Testing

/// A wrong `Content-Length` loses the message it announces, not the ones after it: the rest of a
/// short body runs into the next frame's header, and the reader must find that header inside the
/// unusable block instead of skipping past the block's end (which drops the next frame too).
@Suite struct MessageFramerResyncTests {
    private func events(_ text: String) -> [MessageFramer.Event] {
        var framer = MessageFramer()
        framer.append(Array(text.utf8))
        var events: [MessageFramer.Event] = []
        while let event = framer.next() { events.append(event) }
        return events
    }

    @Test func aTooShortLengthLosesOnlyItsOwnMessage() {
        let events = events("Content-Length: 5\r\n\r\n{\"id\":1,\"x\":2}Content-Length: 7\r\n\r\n{\"a\":1}Content-Length: 2\r\n\r\n{}")
        #expect(events.first == .message(Array("{\"id\"".utf8)))
        #expect(events.count == 4)
        #expect(events.dropFirst(2) == [.message(Array("{\"a\":1}".utf8)), .message(Array("{}".utf8))])
    }

    @Test func aTooLongLengthLosesOnlyTheFrameItSwallowed() {
        // The first body takes the second frame's header and the start of its body; the rest of
        // that body runs into the third frame's header, and the third frame survives.
        let events = events("Content-Length: 33\r\n\r\n{\"a\":1}Content-Length: 10\r\n\r\n{\"b\":2222}Content-Length: 7\r\n\r\n{\"c\":3}")
        #expect(events.first == .message(Array("{\"a\":1}Content-Length: 10\r\n\r\n{\"b\"".utf8)))
        #expect(events.count == 3)
        #expect(events.last == .message(Array("{\"c\":3}".utf8)))
    }

    @Test func theSameWhateverTheReadSizes() {
        let text = Array("Content-Length: 5\r\n\r\n{\"id\":1,\"x\":2}Content-Length: 7\r\n\r\n{\"a\":1}".utf8)
        for size in 1...text.count {
            var framer = MessageFramer()
            var messages: [[UInt8]] = []
            for start in stride(from: 0, to: text.count, by: size) {
                framer.append(text[start..<min(start + size, text.count)])
                while let event = framer.next() { if case .message(let body) = event { messages.append(body) } }
            }
            #expect(messages.last == Array("{\"a\":1}".utf8), "reads of \(size) bytes")
        }
    }
}
