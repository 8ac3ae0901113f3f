import JSONRPC
import Testing

@Suite struct MessageFramerTests {
    private func frames(_ bodies: [String]) -> [UInt8] {
        bodies.flatMap { MessageFramer.frame(Array($0.utf8)) }
    }

    private func drain(_ framer: inout MessageFramer) -> [MessageFramer.Event] {
        var events: [MessageFramer.Event] = []
        while let event = framer.next() { events.append(event) }
        return events
    }

    @Test func severalMessagesInOneRead() {
        var framer = MessageFramer()
        framer.append(frames(["{\"a\":1}", "{\"b\":2}", "[]"]))
        #expect(drain(&framer) == [.message(Array("{\"a\":1}".utf8)), .message(Array("{\"b\":2}".utf8)), .message(Array("[]".utf8))])
    }

    @Test func messagesSplitAtEveryByteBoundary() {
        let bodies = ["{\"jsonrpc\":\"2.0\",\"method\":\"x\"}", "{\"é\":\"😀\"}"]
        let bytes = frames(bodies)
        for split in 0...bytes.count {
            var framer = MessageFramer()
            var events: [MessageFramer.Event] = []
            framer.append(bytes[0..<split])
            events += drain(&framer)
            framer.append(bytes[split...])
            events += drain(&framer)
            #expect(events == bodies.map { .message(Array($0.utf8)) }, "split at \(split)")
        }
    }

    @Test func byteByByte() {
        let bodies = ["{}", "{\"k\":[1,2,3]}"]
        var framer = MessageFramer()
        var events: [MessageFramer.Event] = []
        for byte in frames(bodies) {
            framer.append([byte])
            events += drain(&framer)
        }
        #expect(events == bodies.map { .message(Array($0.utf8)) })
    }

    @Test func contentTypeAndCaseAreTolerated() {
        var framer = MessageFramer()
        let text = "content-length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}"
        framer.append(Array(text.utf8))
        #expect(drain(&framer) == [.message(Array("{}".utf8))])
    }

    @Test func headerWithoutLengthIsSkippedAndTheNextMessageStillArrives() {
        var framer = MessageFramer()
        let text = "Content-Type: text/plain\r\n\r\n{\"lost\":true}Content-Length: 2\r\n\r\n{}"
        framer.append(Array(text.utf8))
        let events = drain(&framer)
        #expect(events.count == 2)
        if case .skipped(let reason) = events.first { #expect(reason.contains("Content-Length")) } else {
            Issue.record("expected a skip first, got \(events)")
        }
        #expect(events.last == .message(Array("{}".utf8)))
    }

    @Test func invalidLengthIsSkipped() {
        var framer = MessageFramer()
        framer.append(Array("Content-Length: -5\r\n\r\nContent-Length: 2\r\n\r\n{}".utf8))
        let events = drain(&framer)
        #expect(events.last == .message(Array("{}".utf8)))
        #expect(events.count == 2)
    }

    @Test func oversizedBodyIsDiscardedNotBuffered() {
        var framer = MessageFramer(maximumBodyLength: 10)
        framer.append(Array("Content-Length: 20\r\n\r\n".utf8))
        framer.append([UInt8](repeating: 0x41, count: 20))
        framer.append(frames(["{}"]))
        let events = drain(&framer)
        #expect(events.count == 2)
        #expect(events.last == .message(Array("{}".utf8)))
    }

    @Test func incompleteBodyWaits() {
        var framer = MessageFramer()
        framer.append(Array("Content-Length: 4\r\n\r\n{}".utf8))
        #expect(framer.next() == nil)
        framer.append(Array("  ".utf8))
        #expect(framer.next() == .message(Array("{}  ".utf8)))
    }

    @Test func frameWritesTheLengthInBytes() {
        let framed = MessageFramer.frame(Array("\"😀\"".utf8))
        #expect(String(decoding: framed, as: UTF8.self) == "Content-Length: 6\r\n\r\n\"😀\"")
    }
}
