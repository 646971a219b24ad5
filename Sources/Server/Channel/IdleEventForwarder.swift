import NIOCore

/// Turns NIO's read-idle event into a `ConnectionEvent.idle` read, so the connection's async
/// loop can say goodbye in the connection's own protocol mode before closing.
final class IdleEventForwarder: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ConnectionEvent
    typealias InboundOut = ConnectionEvent

    private var fired = false

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read {
            if !fired {
                fired = true
                context.fireChannelRead(wrapInboundOut(.idle))
                context.fireChannelReadComplete()
            }
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
