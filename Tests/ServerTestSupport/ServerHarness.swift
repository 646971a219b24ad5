import Conversations
import Foundation
import Logging
import NIOCore
import Server
import ServiceLifecycle
import SupportCore
import WebChannel

/// A live `ChatServer` on an ephemeral loopback port, stopped gracefully after the test body.
public struct ServerHarness: Sendable {
    public let port: Int
    public let store: any ConversationStore
    /// The server's metrics (`metrics.exposition()` is what `/metrics` serves).
    public let metrics: ServerMetrics
    /// The port of the HTTP metrics endpoint, when the harness was asked to serve one.
    public let metricsPort: Int?
    /// The port of the web channel (`/ws`, pages), when `Settings.web` asked for one.
    public let webPort: Int?
    private let shutdown: @Sendable () async -> Void

    /// Starts the server's graceful shutdown now, as SIGTERM does in `serve`: it stops
    /// accepting, lets requests in progress finish and says `bye`. Returns without waiting.
    public func triggerGracefulShutdown() async {
        await shutdown()
    }

    /// Opens a TLS connection to the server and runs `body` with it.
    public func withConnection<Result: Sendable>(
        tls: ClientTLSOptions = TestCertificates.clientTLS, _ body: (LineConnection) async throws -> Result
    ) async throws -> Result {
        try await LineClient.withConnection(host: "127.0.0.1", port: port, tls: tls, body)
    }

    /// Opens a connection over `transport` (the line server, or the web channel's `/ws`, which
    /// needs `Settings.serve(.webSocket)`) and runs `body` with it.
    public func withConnection<Result: Sendable>(
        over transport: Transport, origin: String? = nil, _ body: (any ProtocolTestConnection) async throws -> Result
    ) async throws -> Result {
        switch transport {
        case .line:
            return try await withConnection { connection in try await body(connection) }
        case .webSocket:
            guard let webPort else { throw HarnessError("the web channel is not running: configure { $0.serve(.webSocket) }") }
            return try await WebSocketTestConnection.withConnection(port: webPort, origin: origin) { connection in
                try await body(connection)
            }
        }
    }

    /// Starts a server with `responder` and `store` (and, with `serveMetrics`, a `MetricsServer`
    /// on another ephemeral port in the same service group, as `serve --metrics` runs it), runs
    /// `body`, then shuts the server down gracefully and waits for it to stop.
    public static func run<Result: Sendable>(
        responder: any ChatResponder,
        store: any ConversationStore,
        metrics: ServerMetrics = ServerMetrics(),
        serveMetrics: Bool = false,
        feed: (any ConversationChangeFeed)? = nil,
        configure: (inout Settings) -> Void = { _ in },
        _ body: @Sendable (ServerHarness) async throws -> Result
    ) async throws -> Result {
        var settings = Settings(server: ServerConfiguration(port: 0, tls: TestCertificates.serverTLS), conversations: .init())
        configure(&settings)
        let (addresses, continuation) = AsyncStream<SocketAddress>.makeStream()
        var logger = Logger(label: "test.server")
        logger.logLevel = .critical
        let service = ConversationService(store: store, responder: responder, configuration: settings.conversations, logger: logger)
        let server = try ChatServer(
            configuration: settings.server, service: service, logger: logger, metrics: metrics
        ) { address in
            continuation.yield(address)
            continuation.finish()
        }
        var services: [any Service] = [server, RevocationEnforcer(service: service)]
        if let feed {
            // A store shared by several nodes: other nodes' changes reach this server's sessions.
            services.insert(FeedFollower(service: service, feed: feed), at: 0)
        }
        let (metricsAddresses, metricsContinuation) = AsyncStream<SocketAddress>.makeStream()
        if serveMetrics {
            services.insert(
                MetricsServer(host: "127.0.0.1", port: 0, metrics: metrics, logger: logger) { address in
                    metricsContinuation.yield(address)
                    metricsContinuation.finish()
                }, at: 0)
        } else {
            metricsContinuation.finish()
        }
        let (webAddresses, webContinuation) = AsyncStream<SocketAddress>.makeStream()
        if let web = settings.web {
            services.append(
                try WebServer(
                    configuration: web, server: settings.server, service: service, logger: logger, metrics: metrics,
                    analytics: settings.analytics,
                    onListening: { address in
                        webContinuation.yield(address)
                        webContinuation.finish()
                    }))
        } else {
            webContinuation.finish()
        }
        let group = ServiceGroup(services: services, logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = addresses.makeAsyncIterator()
            guard let address = await iterator.next(), let port = address.port else {
                throw HarnessError("the server did not start listening")
            }
            var metricsIterator = metricsAddresses.makeAsyncIterator()
            let metricsPort = await metricsIterator.next()?.port
            if serveMetrics, metricsPort == nil {
                throw HarnessError("the metrics endpoint did not start listening")
            }
            var webIterator = webAddresses.makeAsyncIterator()
            let webPort = await webIterator.next()?.port
            if settings.web != nil, webPort == nil {
                throw HarnessError("the web channel did not start listening")
            }
            let harness = ServerHarness(port: port, store: store, metrics: metrics, metricsPort: metricsPort, webPort: webPort) {
                await group.triggerGracefulShutdown()
            }
            do {
                let result = try await body(harness)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return result
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}

extension ServerHarness {
    /// The server's and the conversation service's configuration, as one value tests adjust.
    public struct Settings: Sendable {
        public var server: ServerConfiguration
        public var conversations: ConversationServiceConfiguration
        /// The web channel, on an ephemeral port when set. Default nil (not started).
        public var web: WebConfiguration?
        /// The web channel's analytics report; nil answers `/api/report` with 503.
        public var analytics: AnalyticsReporter?

        /// Also starts what `transport` needs (the web channel for `.webSocket`).
        public mutating func serve(_ transport: Transport) {
            if transport == .webSocket, web == nil { web = WebConfiguration(port: 0) }
        }

        /// The server's limits.
        public var limits: ServerConfiguration.Limits {
            get { server.limits }
            set { server.limits = newValue }
        }
        /// The server's TLS material.
        public var tls: ServerConfiguration.TLS {
            get { server.tls }
            set { server.tls = newValue }
        }
        /// Whether sessions need a token.
        public var requireAuth: Bool {
            get { conversations.requireAuth }
            set { conversations.requireAuth = newValue }
        }
        /// What customers are told in a handed-off conversation.
        public var handoffHoldMessage: String {
            get { conversations.handoffHoldMessage }
            set { conversations.handoffHoldMessage = newValue }
        }
    }
}

/// Runs `ConversationService.enforceRevocations()` until graceful shutdown, as `serve` does.
private struct RevocationEnforcer: Service {
    let service: ConversationService

    func run() async throws {
        await cancelWhenGracefulShutdown { await service.enforceRevocations() }
    }
}

/// Runs `ConversationService.follow(_:)` until graceful shutdown, as `serve` does.
private struct FeedFollower: Service {
    let service: ConversationService
    let feed: any ConversationChangeFeed

    func run() async throws {
        await cancelWhenGracefulShutdown { await service.follow(feed) }
    }
}

/// A failure of the test harness itself.
public struct HarnessError: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
