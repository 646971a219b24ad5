/// One event of a `text/event-stream` body.
public struct ServerSentEvent: Sendable, Equatable {
    /// The `event:` field; nil for the default "message" type.
    public var event: String?
    /// The `data:` lines, joined by `\n`.
    public var data: String
    /// The `id:` field, if any.
    public var id: String?

    public init(event: String? = nil, data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }
}

/// Incremental parser for server-sent events (the WHATWG event-stream format), fed the body's
/// bytes in whatever pieces the network delivers. Exists because chat-completion servers stream
/// tokens this way and a line or even a CR/LF pair can straddle two network reads.
public struct ServerSentEventParser: Sendable {
    /// Raised when a single line exceeds `maxLineBytes` (a broken or hostile server).
    public struct LineTooLong: Error, CustomStringConvertible, Sendable {
        public let limit: Int
        public var description: String { "server-sent event line longer than \(limit) bytes" }
    }

    /// Longest accepted line, in bytes. Default 1 MiB.
    public let maxLineBytes: Int
    private var line: [UInt8] = []
    private var lastWasCR = false
    private var sawBOMCheck = false
    private var data: [String] = []
    private var hasData = false
    private var event: String?
    private var id: String?

    public init(maxLineBytes: Int = 1 << 20) {
        self.maxLineBytes = maxLineBytes
    }

    /// Parses `bytes` and returns the events they complete, in order.
    public mutating func feed(_ bytes: some Sequence<UInt8>) throws(LineTooLong) -> [ServerSentEvent] {
        var events: [ServerSentEvent] = []
        for byte in bytes {
            if byte == 0x0A, lastWasCR {
                lastWasCR = false
                continue
            }
            lastWasCR = byte == 0x0D
            if byte == 0x0A || byte == 0x0D {
                if let event = finishLine() { events.append(event) }
            } else {
                guard line.count < maxLineBytes else { throw LineTooLong(limit: maxLineBytes) }
                line.append(byte)
            }
        }
        return events
    }

    /// Call at the end of the body: an event not yet ended by a blank line is dropped, as the
    /// format requires; returns whether anything was left over.
    public mutating func finish() -> Bool {
        let leftover = !line.isEmpty || hasData
        line.removeAll()
        data.removeAll()
        hasData = false
        event = nil
        return leftover
    }

    private mutating func finishLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if !sawBOMCheck {
            sawBOMCheck = true
            if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        }
        if line.isEmpty { return dispatch() }
        if line.first == UInt8(ascii: ":") { return nil }
        let field: String
        let value: String
        if let colon = line.firstIndex(of: UInt8(ascii: ":")) {
            field = String(decoding: line[..<colon], as: UTF8.self)
            var valueStart = colon + 1
            if valueStart < line.count, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
            value = String(decoding: line[valueStart...], as: UTF8.self)
        } else {
            field = String(decoding: line, as: UTF8.self)
            value = ""
        }
        switch field {
        case "data":
            data.append(value)
            hasData = true
        case "event":
            event = value
        case "id" where !value.contains("\0"):
            id = value
        default:
            break
        }
        return nil
    }

    private mutating func dispatch() -> ServerSentEvent? {
        defer {
            data.removeAll()
            hasData = false
            event = nil
        }
        guard hasData else { return nil }
        return ServerSentEvent(event: event, data: data.joined(separator: "\n"), id: id)
    }
}
