import Hummingbird
import NIOCore

/// The request context of the web channel's routes: Hummingbird's core storage and the peer's
/// address (for per-address limits and logs).
struct WebRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The peer's IP address without the port, or `unknown`.
    let peerAddress: String

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peerAddress = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }

    /// The routes read small JSON bodies at most.
    var maxUploadSize: Int { 16 * 1024 }
}
