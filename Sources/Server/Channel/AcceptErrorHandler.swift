import Logging
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// Keeps a listener serving when accepting or setting up one connection fails (too many open
/// files, a socket option refused, a peer that reset before set-up): the error is logged with
/// what to do and counted, and the next connection is accepted. Without it, an error on the
/// listening channel would end the accept loop and so the whole server. NIO's own
/// `AcceptBackoffHandler`, which stops accepting for a moment after running out of file
/// descriptors, sits before this one and still works.
final class AcceptErrorHandler: ChannelInboundHandler {
    typealias InboundIn = any Channel

    private let logger: Logger
    private let onError: @Sendable () -> Void

    init(logger: Logger, onError: @escaping @Sendable () -> Void) {
        self.logger = logger
        self.onError = onError
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        onError()
        var hint = "the connection was dropped; the server keeps accepting"
        if let io = error as? IOError, io.errnoCode == EMFILE || io.errnoCode == ENFILE {
            hint = "out of file descriptors: raise the limit (ulimit -n) or lower --max-connections"
        }
        logger.warning("server.accept_failed", metadata: ["error": "\(error)", "hint": "\(hint)"])
    }
}
