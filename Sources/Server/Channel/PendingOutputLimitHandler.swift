import NIOCore
import Prometheus

/// A hard cap on a connection's unsent output, sitting next to the socket (it sees TLS records).
///
/// The async writer already stops producing while the channel is unwritable, so in normal
/// operation at most the write-buffer high-water mark plus the response being written is queued.
/// This handler is the backstop: when output is queued while more than `maxPendingBytes` of
/// output flushed earlier is still unsent, the client is not draining and is closed. Bytes
/// written since the last flush are not counted, so one large response (a long export) to a
/// client that reads normally is never refused.
final class PendingOutputLimitHandler: ChannelOutboundHandler, RemovableChannelHandler {
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private let maxPendingBytes: Int
    private let onExceeded: @Sendable () -> Void
    /// Bytes written since the last flush: still in the socket's buffer, but not yet due.
    private var unflushedBytes = 0
    private var closing = false

    init(maxPendingBytes: Int, onExceeded: @escaping @Sendable () -> Void) {
        self.maxPendingBytes = maxPendingBytes
        self.onExceeded = onExceeded
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        guard !closing else {
            promise?.fail(ChannelError.ioOnClosedChannel)
            return
        }
        let buffered = (try? context.channel.syncOptions?.getOption(.bufferedWritableBytes)) ?? 0
        if buffered - unflushedBytes > maxPendingBytes {
            closing = true
            onExceeded()
            promise?.fail(ChannelError.ioOnClosedChannel)
            context.close(promise: nil)
            return
        }
        unflushedBytes += unwrapOutboundIn(data).readableBytes
        context.write(data, promise: promise)
    }

    func flush(context: ChannelHandlerContext) {
        unflushedBytes = 0
        context.flush()
    }
}

/// Counts the bytes read from and written to the socket (TLS records included).
final class ByteCountingHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = IOData
    typealias OutboundOut = IOData

    private let metrics: ServerMetrics

    init(metrics: ServerMetrics) {
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        metrics.bytesReceived.increment(by: Int64(unwrapInboundIn(data).readableBytes))
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        metrics.bytesSent.increment(by: Int64(unwrapOutboundIn(data).readableBytes))
        context.write(data, promise: promise)
    }
}
