import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@testable import Server

/// The line framer on its own, through NIO's embedded channel and its decoder verifier: no
/// socket, no TLS.
@Suite("Line framing")
struct LineFramingDecoderTests {
    static func line(_ text: String) -> ConnectionEvent { .line(ByteBuffer(string: text)) }

    @Test("lines split at \\n, a \\r before it dropped, however the bytes arrive (NIO's decoder verifier)")
    func verifier() throws {
        try ByteToMessageDecoderVerifier.verifyDecoder(
            stringInputOutputPairs: [
                ("hello\n", [Self.line("hello")]),
                ("a\r\nb\n", [Self.line("a"), Self.line("b")]),
                ("\n", [Self.line("")]),
                ("{\"type\":\"ping\"}\r\n", [Self.line("{\"type\":\"ping\"}")]),
                ("x\ry\n", [Self.line("x\ry")]),
            ],
            decoderFactory: { LineFramingDecoder(maxLineLength: 64) }
        )
    }

    @Test("a line over the cap is reported once and its bytes discarded, even without a newline")
    func tooLong() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(LineFramingDecoder(maxLineLength: 8)))
        try channel.writeInbound(ByteBuffer(string: "short\n0123456789"))
        #expect(try channel.readInbound(as: ConnectionEvent.self) == Self.line("short"))
        #expect(try channel.readInbound(as: ConnectionEvent.self) == .lineTooLong)
        try channel.writeInbound(ByteBuffer(string: "more bytes\nand another line\n"))
        #expect(try channel.readInbound(as: ConnectionEvent.self) == nil)
        _ = try channel.finish()
    }

    @Test("exactly the cap is accepted, with or without a \\r; one byte more is not")
    func boundary() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(LineFramingDecoder(maxLineLength: 4)))
        try channel.writeInbound(ByteBuffer(string: "abcd\nabcd\r\n"))
        #expect(try channel.readInbound(as: ConnectionEvent.self) == Self.line("abcd"))
        #expect(try channel.readInbound(as: ConnectionEvent.self) == Self.line("abcd"))
        try channel.writeInbound(ByteBuffer(string: "abcde\n"))
        #expect(try channel.readInbound(as: ConnectionEvent.self) == .lineTooLong)
        _ = try channel.finish()
    }

    @Test("bytes after the last newline at EOF are an incomplete line and never served")
    func incompleteAtEOF() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(LineFramingDecoder(maxLineLength: 64)))
        try channel.writeInbound(ByteBuffer(string: "done\npartial"))
        #expect(try channel.readInbound(as: ConnectionEvent.self) == Self.line("done"))
        _ = try channel.finish()
        #expect(try channel.readInbound(as: ConnectionEvent.self) == nil)
    }
}

@Suite("Token bucket")
struct TokenBucketTests {
    @Test("a burst is allowed at once, then the sustained rate")
    func burstThenRate() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(rate: 2, burst: 3, now: start)
        var granted = 0
        for _ in 0..<3 where bucket.take(now: start) { granted += 1 }
        #expect(granted == 3)
        let take1 = bucket.take(now: start)
        #expect(!take1)
        let take2 = bucket.take(now: start + .milliseconds(400))
        #expect(!take2)
        let take3 = bucket.take(now: start + .milliseconds(500))
        #expect(take3)
        let take4 = bucket.take(now: start + .milliseconds(600))
        #expect(!take4)
    }

    @Test("idle time refills up to the burst, never beyond")
    func refillCapped() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(rate: 10, burst: 2, now: start)
        _ = bucket.take(now: start)
        _ = bucket.take(now: start)
        let later = start + .seconds(60)
        let take5 = bucket.take(now: later)
        #expect(take5)
        let take6 = bucket.take(now: later)
        #expect(take6)
        let take7 = bucket.take(now: later)
        #expect(!take7)
    }
}
