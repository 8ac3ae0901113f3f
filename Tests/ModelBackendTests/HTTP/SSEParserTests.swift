import Testing

@testable import ModelBackend

@Suite struct SSEParserTests {
    static let stream = Array(
        """
        : a comment\r
        data: {"a":1}\r
        \r
        event: update\n\
        data: first line\n\
        data:second line\n\
        id: 7\n\
        \n\
        data: héllo wörld ✓\r\r\
        error: {"message":"boom"}\n\
        \n\
        data: [DONE]\n\
        \n
        """.utf8
    )

    static let expected = [
        SSEEvent(data: "{\"a\":1}"),
        SSEEvent(event: "update", data: "first line\nsecond line", id: "7"),
        SSEEvent(data: "héllo wörld ✓", id: "7"),
        SSEEvent(data: "", id: "7", error: "{\"message\":\"boom\"}"),
        SSEEvent(data: "[DONE]", id: "7"),
    ]

    @Test func parsesAWholeStream() throws {
        var parser = SSEParser()
        var events = try parser.feed(Self.stream)
        events += parser.finish()
        #expect(events == Self.expected)
    }

    @Test func givesTheSameEventsForEverySplitIntoTwoChunks() throws {
        for split in 0...Self.stream.count {
            var parser = SSEParser()
            var events = try parser.feed(Self.stream[..<split])
            events += try parser.feed(Self.stream[split...])
            events += parser.finish()
            #expect(events == Self.expected, "split at byte \(split)")
        }
    }

    @Test func givesTheSameEventsFedOneByteAtATime() throws {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for byte in Self.stream { events += try parser.feed([byte]) }
        events += parser.finish()
        #expect(events == Self.expected)
    }

    @Test func dispatchesOnlyAtABlankLine() throws {
        var parser = SSEParser()
        #expect(try parser.feed(Array("data: x\n".utf8)).isEmpty)
        #expect(parser.hasPendingInput)
        #expect(try parser.feed(Array("\n".utf8)) == [SSEEvent(data: "x")])
        #expect(!parser.hasPendingInput)
    }

    @Test func finishDeliversAnEventCutOffByTheEndOfTheStream() throws {
        var parser = SSEParser()
        #expect(try parser.feed(Array("data: tail".utf8)).isEmpty)
        #expect(parser.finish() == [SSEEvent(data: "tail")])
        #expect(parser.finish().isEmpty)
    }

    @Test func ignoresBlankLinesWithoutData() throws {
        var parser = SSEParser()
        #expect(try parser.feed(Array("\n\n: ping\n\nevent: x\n\n".utf8)).isEmpty)
    }

    @Test func rejectsAnEndlessLine() throws {
        var parser = SSEParser(maximumLineLength: 16)
        #expect(throws: SSEParserError.lineTooLong(16)) {
            try parser.feed(Array(repeating: UInt8(ascii: "a"), count: 40))
        }
    }
}
