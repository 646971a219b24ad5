import NIOCore
import NIOEmbedded
import Server

/// Splits a byte stream into lines exactly as the line server does: the server's own
/// `LineFramingDecoder` in NIO's embedded channel, fed in chunks the way TCP may deliver them,
/// then closed (end of file).
enum LineFramer {
    /// The events the decoder produces for `bytes`. The first byte picks how the bytes arrive
    /// (chunks of 1 to 32 bytes) and, when it is 0xF0 or above, a 32-byte line cap instead of the
    /// server's default, so that trickled input and over-long lines are both exercised.
    static func events(in bytes: [UInt8]) -> [ConnectionEvent] {
        let selector = Int(bytes.first ?? 0)
        let chunkSize = selector % 32 + 1
        let maxLineLength = selector >= 0xF0 ? 32 : ServerConfiguration.Limits().maxLineLength
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(LineFramingDecoder(maxLineLength: maxLineLength)))
        var events: [ConnectionEvent] = []
        do {
            var start = 0
            while start < bytes.count {
                let end = min(start + chunkSize, bytes.count)
                try channel.writeInbound(channel.allocator.buffer(bytes: bytes[start..<end]))
                while let event = try channel.readInbound(as: ConnectionEvent.self) { events.append(event) }
                start = end
            }
            // End of file: the decoder's `decodeLast` drops an unterminated last line.
            _ = try channel.finish(acceptAlreadyClosed: true)
        } catch {
            // A decoder error would end the connection; the lines so far were still delivered.
        }
        return events
    }

    /// The bytes of every complete, non-blank line, as the server's request loop takes them up
    /// (`ConnectionSession`: lines of only spaces and tabs are skipped).
    static func lines(in bytes: [UInt8]) -> [[UInt8]] {
        events(in: bytes).compactMap { event in
            guard case .line(let buffer) = event else { return nil }
            let line = Array(buffer.readableBytesView)
            return line.contains { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") } ? line : nil
        }
    }
}
