import Conversations
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Prometheus
import ServiceLifecycle
import SupportCore
import Synchronization

/// The TLS line-protocol server (protocol.md), as a swift-service-lifecycle `Service`.
/// Channel handlers do TLS, framing and timeouts only; each connection's requests are handled by
/// async code in its own child task, which catches its own errors so one client can never take
/// the server down.
public final class ChatServer: Service, Sendable {
    private let endpoint: ProtocolEndpoint
    private var context: ServerContext { endpoint.context }
    private let sslContext: NIOSSLContext
    private let eventLoopGroup: any EventLoopGroup
    private let onListening: @Sendable (SocketAddress) async -> Void

    /// - Parameters:
    ///   - metrics: where the server counts connections, requests, errors and reply latency
    ///     (`MetricsServer` serves them); a private set by default.
    ///   - onListening: called once the socket is bound (tests read the ephemeral port).
    public init(
        configuration: ServerConfiguration,
        service: ConversationService,
        logger: Logger,
        metrics: ServerMetrics = ServerMetrics(),
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onListening: @escaping @Sendable (SocketAddress) async -> Void = { _ in }
    ) throws(ServerError) {
        self.endpoint = ProtocolEndpoint(configuration: configuration, service: service, logger: logger, metrics: metrics)
        self.sslContext = try Self.makeSSLContext(configuration.tls)
        self.eventLoopGroup = eventLoopGroup
        self.onListening = onListening
    }

    /// Serves until graceful shutdown: then stops accepting, lets every connection finish its
    /// request in progress and say `bye`, and returns.
    public func run() async throws {
        let configuration = context.configuration
        let limits = configuration.limits
        let sslContext = self.sslContext
        let metrics = context.metrics
        let peers = context.peers
        let server: NIOAsyncChannel<AcceptedConnection, Never>
        do {
            server = try await ServerBootstrap(group: eventLoopGroup)
                .serverChannelOption(.backlog, value: 512)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .serverChannelInitializer { [logger = context.logger] channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            AcceptErrorHandler(logger: logger) { metrics.acceptErrors.increment() })
                    }
                }
                .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
                .childChannelOption(
                    .writeBufferWaterMark,
                    value: .init(low: limits.writeBufferHighWater / 2, high: limits.writeBufferHighWater)
                )
                .bind(host: configuration.host, port: configuration.port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try Self.configurePipeline(
                            channel, sslContext: sslContext, limits: limits, metrics: metrics, peers: peers)
                    }
                }
        } catch {
            throw ServerError(
                .bind,
                "cannot listen on \(configuration.host):\(configuration.port): \(error). Is another server running there? Pick another address with --listen."
            )
        }
        if let address = server.channel.localAddress {
            context.logger.info("server.listening", metadata: ["address": "\(address)"])
            await onListening(address)
        }
        try await withThrowingDiscardingTaskGroup { group in
            try await server.executeThenClose { connections in
                for try await connection in connections.cancelOnGracefulShutdown() {
                    group.addTask { await self.serve(connection) }
                }
            }
            context.logger.info("server.draining")
        }
        context.logger.info("server.stopped")
    }

    /// An accepted connection: its async channel and the outcome of its TLS handshake.
    struct AcceptedConnection: Sendable {
        let channel: NIOAsyncChannel<ConnectionEvent, ByteBuffer>
        let handshake: EventLoopFuture<Void>
    }

    /// Socket side first: byte counts and the pending-output cap see TLS records; framing and
    /// timeouts see plaintext. A connection over its address's limits (`PeerGuard`) is closed
    /// here, before any TLS work.
    private static func configurePipeline(
        _ channel: any Channel, sslContext: NIOSSLContext, limits: ServerConfiguration.Limits, metrics: ServerMetrics,
        peers: PeerGuard
    ) throws -> AcceptedConnection {
        let pipeline = channel.pipeline.syncOperations
        let handshake = channel.eventLoop.makePromise(of: Void.self)
        if let refusal = peers.admit(channel, handshake: handshake.futureResult) {
            handshake.fail(PeerGuard.Refused(refusal: refusal))
            channel.close(promise: nil)
            throw PeerGuard.Refused(refusal: refusal)
        }
        try pipeline.addHandler(ByteCountingHandler(metrics: metrics))
        try pipeline.addHandler(
            PendingOutputLimitHandler(maxPendingBytes: limits.maxPendingOutputBytes) {
                metrics.dropped(.pendingOutputCap)
            })
        try pipeline.addHandler(NIOSSLServerHandler(context: sslContext))
        try pipeline.addHandler(
            HandshakeTimeoutHandler(timeout: TimeAmount(limits.handshakeTimeout), completed: handshake) {
                metrics.dropped(.handshakeTimeout)
            })
        try pipeline.addHandler(
            WriteStallHandler(timeout: TimeAmount(limits.writeStallTimeout)) {
                metrics.dropped(.writeStall)
            })
        try pipeline.addHandler(IdleStateHandler(readTimeout: TimeAmount(limits.idleTimeout)))
        try pipeline.addHandler(ByteToMessageHandler(LineFramingDecoder(maxLineLength: limits.maxLineLength)))
        try pipeline.addHandler(IdleEventForwarder())
        let asyncChannel = try NIOAsyncChannel(
            wrappingChannelSynchronously: channel,
            configuration: .init(
                backPressureStrategy: .init(lowWatermark: 1, highWatermark: max(2, limits.inboundQueueDepth)),
                inboundType: ConnectionEvent.self,
                outboundType: ByteBuffer.self
            )
        )
        return AcceptedConnection(channel: asyncChannel, handshake: handshake.futureResult)
    }

    private func serve(_ accepted: AcceptedConnection) async {
        let connection = accepted.channel
        let peer = connection.channel.remoteAddress.map { "\($0)" } ?? "unknown"
        do {
            try await connection.executeThenClose { inbound, outbound in
                let output = SessionOutput(
                    line: { text in
                        var buffer = ByteBuffer()
                        buffer.reserveCapacity(text.utf8.count + 1)
                        buffer.writeString(text)
                        buffer.writeInteger(UInt8(ascii: "\n"))
                        try await outbound.write(buffer)
                    },
                    block: { text in try await outbound.write(ByteBuffer(string: text)) }
                )
                let channel = connection.channel
                try await endpoint.serve(
                    inbound: inbound, output: output, peer: peer, address: PeerGuard.address(of: channel), jsonOnly: false,
                    ready: { try await accepted.handshake.get() }, close: { channel.close(promise: nil) })
            }
        } catch {
            context.logger.debug("connection.closed.error", metadata: ["connection.peer": "\(peer)", "error": "\(error)"])
        }
    }

    /// One TLS context for the server's lifetime: TLS 1.2 minimum, optional client certificates.
    static func makeSSLContext(_ tls: ServerConfiguration.TLS) throws(ServerError) -> NIOSSLContext {
        let configuration = try makeTLSConfiguration(tls)
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw ServerError(
                .tlsMaterial, "cannot use the TLS certificate and key: \(error). Check --tls-cert and --tls-key (PEM files).")
        }
    }

    /// The server side of TLS for every listener (the line server and the web channel): the
    /// certificate chain and key, TLS 1.2 minimum, optional client certificates.
    package static func makeTLSConfiguration(_ tls: ServerConfiguration.TLS) throws(ServerError) -> TLSConfiguration {
        do {
            let chain = try NIOSSLCertificate.fromPEMBytes(Array(tls.certificateChainPEM.utf8))
            guard !chain.isEmpty else {
                throw ServerError(.tlsMaterial, "the certificate file holds no PEM certificate")
            }
            let key = try NIOSSLPrivateKey(bytes: Array(tls.privateKeyPEM.utf8), format: .pem)
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key)
            )
            configuration.minimumTLSVersion = .tlsv12
            if let clientCA = tls.clientCAPEM {
                configuration.certificateVerification = .noHostnameVerification
                configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(clientCA.utf8)))
            }
            return configuration
        } catch let error as ServerError {
            throw error
        } catch {
            throw ServerError(
                .tlsMaterial, "cannot use the TLS certificate and key: \(error). Check --tls-cert and --tls-key (PEM files).")
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
