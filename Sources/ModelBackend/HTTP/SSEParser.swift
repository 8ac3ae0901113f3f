/// One server-sent event: the `data` lines joined by newlines, plus the optional fields.
public struct SSEEvent: Sendable, Hashable {
    /// The `event:` field, when present.
    public var event: String?
    /// The `data:` lines of the event joined with `\n`.
    public var data: String
    /// The `id:` field, when present.
    public var id: String?
    /// llama.cpp's non-standard `error:` field, when present.
    public var error: String?

    public init(event: String? = nil, data: String, id: String? = nil, error: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.error = error
    }
}

/// An incremental parser of `text/event-stream` bodies (WHATWG HTML, "Server-sent events").
///
/// Feed it the body's bytes in whatever chunks the network delivers; it returns the events that
/// became complete. Lines end with LF, CRLF or CR, even when a CRLF pair is split between two
/// chunks; comment lines (`:`…) are skipped; an event is dispatched at a blank line and only when
/// it has a `data` or `error` field. Bytes are decoded as UTF-8 only once a whole line is
/// collected, so multi-byte characters split between chunks survive.
public struct SSEParser: Sendable {
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var dataLines: [String] = []
    private var hasData = false
    private var event: String?
    private var id: String?
    private var error: String?

    /// The longest line accepted; longer lines mean the peer is not speaking SSE.
    public let maximumLineLength: Int

    public init(maximumLineLength: Int = 16 << 20) {
        self.maximumLineLength = maximumLineLength
    }

    /// Whether bytes of an unfinished line or event are pending.
    public var hasPendingInput: Bool { !line.isEmpty || hasData || error != nil }

    /// Consumes `bytes` and returns the events they completed, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(SSEParserError) -> [SSEEvent] {
        var events: [SSEEvent] = []
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\n"):
                if lastWasCR {
                    lastWasCR = false
                    continue
                }
                if let event = endLine() { events.append(event) }
            case UInt8(ascii: "\r"):
                lastWasCR = true
                if let event = endLine() { events.append(event) }
            default:
                lastWasCR = false
                line.append(byte)
                if line.count > maximumLineLength { throw SSEParserError.lineTooLong(maximumLineLength) }
            }
        }
        return events
    }

    /// Ends the stream: a final line without its terminator is processed, and an event still
    /// waiting for its blank line is dispatched, so a server that closes right after its last
    /// `data:` line loses nothing.
    public mutating func finish() -> [SSEEvent] {
        var events: [SSEEvent] = []
        if !line.isEmpty, let event = endLine() { events.append(event) }
        if let event = dispatch() { events.append(event) }
        return events
    }

    private mutating func endLine() -> SSEEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty { return dispatch() }
        if line.first == UInt8(ascii: ":") { return nil }
        let text = String(decoding: line, as: UTF8.self)
        let name: Substring
        var value: Substring
        if let colon = text.firstIndex(of: ":") {
            name = text[..<colon]
            value = text[text.index(after: colon)...]
            if value.first == " " { value = value.dropFirst() }
        } else {
            name = text[...]
            value = ""
        }
        switch name {
        case "data":
            dataLines.append(String(value))
            hasData = true
        case "event":
            event = String(value)
        case "id":
            id = String(value)
        case "error":
            error = String(value)
        default:
            break
        }
        return nil
    }

    private mutating func dispatch() -> SSEEvent? {
        defer {
            dataLines.removeAll()
            hasData = false
            event = nil
            error = nil
        }
        guard hasData || error != nil else { return nil }
        return SSEEvent(event: event, data: dataLines.joined(separator: "\n"), id: id, error: error)
    }
}

/// Input that cannot be an event stream.
public enum SSEParserError: Error, Sendable, Hashable {
    /// A line longer than the parser accepts.
    case lineTooLong(Int)
}
