import HummingbirdCore
import Logging
import NIOCore
import NIOSSL
import Server

/// TLS for the web channel with the line server's handshake limit: like HummingbirdTLS's
/// `TLSChannel`, plus `HandshakeTimeoutHandler` right behind the TLS handler, so a client that
/// connects and never finishes the handshake is closed after `--handshake-timeout` (Hummingbird
/// has no handshake timeout of its own), and the per-address limits (`PeerGuard`): a
/// connection over them is closed before any TLS work.
struct HandshakeLimitedTLSChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let sslContext: NIOSSLContext
    let timeout: TimeAmount
    let metrics: ServerMetrics
    let peers: PeerGuard

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let metrics = self.metrics
        let peers = self.peers
        return channel.eventLoop.makeCompletedFuture {
            let handshake = channel.eventLoop.makePromise(of: Void.self)
            if let refusal = peers.admit(channel, handshake: handshake.futureResult) {
                handshake.fail(PeerGuard.Refused(refusal: refusal))
                channel.close(promise: nil)
                throw PeerGuard.Refused(refusal: refusal)
            }
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(NIOSSLServerHandler(context: sslContext))
            try pipeline.addHandler(
                HandshakeTimeoutHandler(timeout: timeout, completed: handshake) {
                    metrics.dropped(.handshakeTimeout)
                })
        }.flatMap {
            base.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: Base.Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}
