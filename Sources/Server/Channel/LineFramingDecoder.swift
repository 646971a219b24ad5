import NIOCore

/// Splits a byte stream into lines at `\n` (dropping a `\r` before it) with a hard cap on line
/// length. NIO's own line decoders buffer without limit; this one never holds more than the cap
/// plus one read: past the cap it reports `lineTooLong` once and discards everything after.
public struct LineFramingDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ConnectionEvent

    private let maxLineLength: Int
    /// Bytes of the buffer already searched for a newline, so trickled input is scanned once.
    private var scanned = 0
    private var discarding = false

    public init(maxLineLength: Int) {
        self.maxLineLength = maxLineLength
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if discarding {
            buffer.moveReaderIndex(to: buffer.writerIndex)
            return .needMoreData
        }
        let view = buffer.readableBytesView
        let start = view.startIndex + scanned
        guard let newline = view[start...].firstIndex(of: UInt8(ascii: "\n")) else {
            // Allow one extra byte for a `\r` that may precede the coming `\n`.
            if view.count > maxLineLength + 1 {
                discarding = true
                buffer.moveReaderIndex(to: buffer.writerIndex)
                scanned = 0
                context.fireChannelRead(Self.wrapInboundOut(.lineTooLong))
            } else {
                scanned = view.count
            }
            return .needMoreData
        }
        var length = newline - view.startIndex
        let consumed = length + 1
        if length > 0, view[newline - 1] == UInt8(ascii: "\r") {
            length -= 1
        }
        scanned = 0
        if length > maxLineLength {
            discarding = true
            buffer.moveReaderIndex(to: buffer.writerIndex)
            context.fireChannelRead(Self.wrapInboundOut(.lineTooLong))
            return .needMoreData
        }
        let line = buffer.getSlice(at: buffer.readerIndex, length: length)!
        buffer.moveReaderIndex(forwardBy: consumed)
        context.fireChannelRead(Self.wrapInboundOut(.line(line)))
        return .continue
    }

    public mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool
    ) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        // Bytes after the last newline at EOF are an incomplete line: never served.
        buffer.moveReaderIndex(to: buffer.writerIndex)
        return .needMoreData
    }
}
