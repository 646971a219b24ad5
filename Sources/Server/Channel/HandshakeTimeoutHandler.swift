import NIOCore
import NIOTLS

/// Closes a connection whose TLS handshake has not completed in time (swift-nio-ssl has no
/// handshake timeout of its own, so without this a client that connects and sends nothing would
/// hold a connection slot forever), and reports the handshake's outcome through `completed`, so
/// the server can wait for it before writing a refusal that must reach the client.
package final class HandshakeTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    package typealias InboundIn = NIOAny

    private let timeout: TimeAmount
    private let completed: EventLoopPromise<Void>
    private let onTimeout: @Sendable () -> Void
    private var timer: Scheduled<Void>?
    private var done = false

    /// - Parameter onTimeout: called once when the handler closes a connection for taking too long.
    package init(timeout: TimeAmount, completed: EventLoopPromise<Void>, onTimeout: @escaping @Sendable () -> Void = {}) {
        self.timeout = timeout
        self.completed = completed
        self.onTimeout = onTimeout
    }

    package func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { arm(context: context) }
    }

    package func channelActive(context: ChannelHandlerContext) {
        arm(context: context)
        context.fireChannelActive()
    }

    package func channelInactive(context: ChannelHandlerContext) {
        finish(.failure(ChannelError.eof))
        context.fireChannelInactive()
    }

    package func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let tlsEvent = event as? TLSUserEvent, case .handshakeCompleted = tlsEvent {
            finish(.success(()))
        }
        context.fireUserInboundEventTriggered(event)
    }

    package func handlerRemoved(context: ChannelHandlerContext) {
        finish(.failure(ChannelError.ioOnClosedChannel))
    }

    private func arm(context: ChannelHandlerContext) {
        guard timer == nil, !done else { return }
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        let timeout = self.timeout
        let onTimeout = self.onTimeout
        timer = context.eventLoop.scheduleTask(in: timeout) {
            onTimeout()
            bound.value.handler.finish(.failure(ChannelError.connectTimeout(timeout)))
            bound.value.context.close(promise: nil)
        }
    }

    private func finish(_ result: Result<Void, any Error>) {
        guard !done else { return }
        done = true
        timer?.cancel()
        timer = nil
        completed.completeWith(result)
    }
}
