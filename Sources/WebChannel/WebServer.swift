import Conversations
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOSSL
import Server
import ServiceLifecycle

/// Builds the analytics report for `/admin` (the `report` command's JSON) for replies in
/// `[since, until)`; the composition root wires it to the Reports module.
public typealias AnalyticsReporter = @Sendable (_ since: Date?, _ until: Date?) async throws -> String

/// The web channel, as a swift-service-lifecycle `Service`: an HTTPS listener (Hummingbird) with
/// `/ws` (the line protocol over WebSocket, served by the same `ProtocolEndpoint` as the line
/// server), the embeddable widget (`/widget.js`), its demo page (`/`), the agent inbox (`/agent`)
/// and the analytics page (`/admin`). Every response carries the security headers
/// (`SecurityHeadersMiddleware`); tokens travel in request bodies, WebSocket frames or the
/// `Authorization` header, never in URLs or cookies.
public final class WebServer: Service, Sendable {
    private let configuration: WebConfiguration
    private let endpoint: ProtocolEndpoint
    private let sslContext: NIOSSLContext
    private let assets: WebAssets
    private let origins: OriginPolicy
    private let analytics: AnalyticsReporter?
    private let logger: Logger
    private let onListening: @Sendable (SocketAddress) async -> Void

    /// - Parameters:
    ///   - server: the line server's configuration: limits, TLS material (client certificates
    ///     are not asked for on the web) and server name.
    ///   - analytics: the report behind `/admin`; nil answers its API with 503.
    ///   - onListening: called once the socket is bound (tests read the ephemeral port).
    public init(
        configuration: WebConfiguration, server: LineServerConfiguration, service: ConversationService, logger: Logger,
        metrics: ServerMetrics = ServerMetrics(), analytics: AnalyticsReporter? = nil,
        onListening: @escaping @Sendable (SocketAddress) async -> Void = { _ in }
    ) throws(WebError) {
        self.configuration = configuration
        self.endpoint = ProtocolEndpoint(configuration: server, service: service, logger: logger, metrics: metrics)
        var tls = server.tls
        tls.clientCAPEM = nil
        do {
            self.sslContext = try NIOSSLContext(configuration: try ChatServer.makeTLSConfiguration(tls))
        } catch {
            throw WebError(.tlsMaterial, "\(error)")
        }
        self.assets = try WebAssets.load(directory: configuration.assetsDirectory)
        self.origins = try OriginPolicy(allowedOrigins: configuration.allowedOrigins)
        self.analytics = analytics
        self.logger = logger
        self.onListening = onListening
    }

    /// Checks what the channel needs from disk and flags (its pages, the allowed origins) before
    /// the slower start-up work, so a mistake fails in a second rather than after training.
    public static func preflight(_ configuration: WebConfiguration) throws(WebError) {
        _ = try WebAssets.load(directory: configuration.assetsDirectory)
        _ = try OriginPolicy(allowedOrigins: configuration.allowedOrigins)
    }

    /// Serves until graceful shutdown.
    public func run() async throws {
        let limits = endpoint.context.configuration.limits
        let routes = WebRoutes(
            assets: assets, origins: origins, service: endpoint.context.service, analytics: analytics,
            visitors: configuration.allowVisitors ? AddressRateLimiter(perMinute: configuration.visitorsPerMinute) : nil,
            logger: logger)
        let endpoint = self.endpoint
        let origins = self.origins
        let registry = WebSocketRegistry()
        let logger = self.logger
        let onListening = self.onListening
        let channelConfiguration = HTTP1WebSocketUpgradeChannel.Configuration(
            http1: .init(idleTimeout: TimeAmount(configuration.httpIdleTimeout)),
            // Twice the line limit: a message between the two gets the protocol's
            // `line_too_long`; a single frame beyond it is refused by the decoder (1009).
            ws: .init(maxFrameSize: max(2 * limits.maxLineLength, 1 << 14), autoPing: .enabled(timePeriod: .seconds(30)))
        )
        let shouldUpgrade:
            @Sendable (HTTPRequest, any Channel, Logger) throws -> ShouldUpgradeResult<
                WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>
            > = { request, channel, _ in
                guard request.path == "/ws" || request.path?.hasPrefix("/ws?") == true else { return .dontUpgrade }
                let peer = channel.remoteAddress.map { "\($0)" } ?? "unknown"
                // Declined: Hummingbird answers 400 (a plain GET /ws from there gets 403).
                guard origins.allows(request) else {
                    logger.notice(
                        "web.origin.refused",
                        metadata: [
                            "connection.peer": "\(peer)", "http.origin": "\(request.headerFields[values: .origin])",
                            "hint": "add the site with --web-origin if it should embed the widget",
                        ])
                    return .dontUpgrade
                }
                return .upgrade([:]) { inbound, outbound, _ in
                    await WebSocketSession.serve(
                        inbound: inbound, outbound: outbound, endpoint: endpoint, peer: peer,
                        address: PeerGuard.address(of: channel), registry: registry)
                }
            }
        let sslContext = self.sslContext
        let handshakeTimeout = TimeAmount(limits.handshakeTimeout)
        let metrics = endpoint.context.metrics
        let server = HTTPServerBuilder { responder in
            HandshakeLimitedTLSChannel(
                base: HTTP1WebSocketUpgradeChannel(
                    responder: responder, configuration: channelConfiguration, shouldUpgrade: shouldUpgrade),
                sslContext: sslContext, timeout: handshakeTimeout, metrics: metrics, peers: endpoint.context.peers)
        }
        let application = Application(
            router: routes.router(),
            server: server,
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: nil, reuseAddress: true),
            onServerRunning: { channel in
                if let address = channel.localAddress {
                    logger.info("web.listening", metadata: ["address": "\(address)"])
                    await onListening(address)
                }
            },
            logger: logger
        )
        // Hummingbird runs in a service group of its own, outside this task's graceful shutdown:
        // on shutdown the WebSocket sessions finish their requests and say `bye` first, then
        // Hummingbird stops (which would otherwise close the sockets at once).
        let inner = ServiceGroup(configuration: .init(services: [.init(service: application)], logger: logger))
        let running = Task.detached { try await inner.run() }
        do {
            try await withGracefulShutdownHandler {
                try await withTaskCancellationHandler {
                    try await running.value
                } onCancel: {
                    running.cancel()
                }
            } onGracefulShutdown: {
                Task {
                    await registry.shutDownAll()
                    await inner.triggerGracefulShutdown()
                }
            }
        } catch let error as IOError {
            throw WebError(
                .bind,
                "cannot listen on \(configuration.host):\(configuration.port) for the web channel: \(error). Is another server running there? Pick another address with --web."
            )
        }
        logger.info("web.stopped")
    }
}
