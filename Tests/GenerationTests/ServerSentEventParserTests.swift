import Generation
import Testing

@Suite("Server-sent event parser")
struct ServerSentEventParserTests {
    static func parse(_ chunks: [[UInt8]]) throws -> [ServerSentEvent] {
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        for chunk in chunks { events += try parser.feed(chunk) }
        return events
    }

    static let stream = Array(
        ": keep-alive comment\r\ndata: {\"a\":1}\r\n\r\nevent: update\nid: 7\ndata: line one\ndata: line two\n\ndata:no-space\rdata\r\r\u{FEFF}data: x\n\n"
            .utf8)

    static let expected = [
        ServerSentEvent(data: "{\"a\":1}"),
        ServerSentEvent(event: "update", data: "line one\nline two", id: "7"),
        ServerSentEvent(data: "no-space\n", id: "7"),
    ]

    @Test("fields, comments, multi-line data and all three line endings")
    func wholeStream() throws {
        let events = try Self.parse([Self.stream])
        #expect(Array(events.prefix(3)) == Self.expected)
        // A BOM is stripped only at the very start of the stream; later it is part of the field name.
        #expect(events.count == 3)
    }

    @Test("the same events whatever the network splits: every single split point and byte by byte")
    func splitAnywhere() throws {
        let whole = try Self.parse([Self.stream])
        for split in 1..<Self.stream.count {
            let parts = [Array(Self.stream[..<split]), Array(Self.stream[split...])]
            #expect(try Self.parse(parts) == whole, "split at \(split)")
        }
        #expect(try Self.parse(Self.stream.map { [$0] }) == whole)
    }

    @Test("a byte-order mark at the start is ignored")
    func bom() throws {
        #expect(try Self.parse([[0xEF, 0xBB, 0xBF] + Array("data: hi\n\n".utf8)]) == [ServerSentEvent(data: "hi")])
    }

    @Test("an event without its blank line is not dispatched; finish reports the leftover")
    func unterminated() throws {
        var parser = ServerSentEventParser()
        let events = try parser.feed(Array("data: partial\n".utf8))
        let leftover = parser.finish()
        let leftoverAgain = parser.finish()
        #expect(events.isEmpty)
        #expect(leftover)
        #expect(!leftoverAgain)
    }

    @Test("an overlong line is an error, not unbounded memory")
    func lineTooLong() {
        var parser = ServerSentEventParser(maxLineBytes: 16)
        #expect(throws: ServerSentEventParser.LineTooLong.self) {
            _ = try parser.feed(Array(("data: " + String(repeating: "x", count: 32)).utf8))
        }
    }
}
