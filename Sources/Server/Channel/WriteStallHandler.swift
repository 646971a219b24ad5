import NIOCore

/// Closes a connection whose output has not drained for `timeout`. The async writer already
/// stops producing while the channel is unwritable (bounded by the write-buffer watermarks);
/// this handler makes sure a client that never reads cannot hold those bytes forever.
final class WriteStallHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let timeout: TimeAmount
    private let onStall: @Sendable () -> Void
    private var timer: Scheduled<Void>?

    /// - Parameter onStall: called once when the handler closes a stalled connection.
    init(timeout: TimeAmount, onStall: @escaping @Sendable () -> Void = {}) {
        self.timeout = timeout
        self.onStall = onStall
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable {
            timer?.cancel()
            timer = nil
        } else if timer == nil {
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            let onStall = self.onStall
            timer = context.eventLoop.scheduleTask(in: timeout) {
                onStall()
                loopBound.value.close(promise: nil)
            }
        }
        context.fireChannelWritabilityChanged()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
    }
}
