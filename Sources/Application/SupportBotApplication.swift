import Assistant
import Conversations
import Foundation
import Generation
import Logging
import NIOCore
import Server
import ServiceLifecycle
import Store
import SupportCore
import UnixSignals
import WebChannel

/// The composition root: builds the whole service from one `ApplicationConfiguration` (store,
/// assistant, conversation service, TLS server, folder watchers, metrics) and runs it as one
/// service group until SIGTERM/SIGINT.
public enum SupportBotApplication {
    /// What the application reports while it starts.
    public struct Observer: Sendable {
        /// Training, when the model must be (re)trained first.
        public var assistant: AssistantFactory.Observer
        /// The line server is listening.
        public var listening: @Sendable (SocketAddress) async -> Void
        /// The metrics endpoint is listening.
        public var metricsListening: @Sendable (SocketAddress) async -> Void
        /// The web channel is listening.
        public var webListening: @Sendable (SocketAddress) async -> Void

        public init(
            assistant: AssistantFactory.Observer = .init(),
            listening: @escaping @Sendable (SocketAddress) async -> Void = { _ in },
            metricsListening: @escaping @Sendable (SocketAddress) async -> Void = { _ in },
            webListening: @escaping @Sendable (SocketAddress) async -> Void = { _ in }
        ) {
            self.assistant = assistant
            self.listening = listening
            self.metricsListening = metricsListening
            self.webListening = webListening
        }
    }

    /// Assembles and serves until graceful shutdown.
    public static func run(_ configuration: ApplicationConfiguration, observer: Observer = .init(), logger: Logger) async throws {
        do {
            try FileManager.default.createDirectory(at: configuration.stateDirectory, withIntermediateDirectories: true)
        } catch {
            throw ApplicationError(
                "cannot create the state folder '\(configuration.stateDirectory.path)': \(error.localizedDescription)")
        }
        if let web = configuration.web {
            do {
                try WebServer.preflight(web)
            } catch {
                throw ApplicationError(error.description)
            }
        }
        let llm = configuration.llm.map { LLMGenerator(configuration: $0, logger: logger) }
        do {
            try await serve(configuration, llm: llm, observer: observer, logger: logger)
        } catch {
            await llm?.shutdown()
            throw error
        }
        await llm?.shutdown()
        // The store's connections close when it is released as this returns. Every reply was
        // sent only after its commit, so nothing is pending here.
        logger.info("application.stopped")
    }

    private static func serve(
        _ configuration: ApplicationConfiguration, llm: LLMGenerator?, observer: Observer, logger: Logger
    ) async throws {
        let assembled = try await AssistantFactory.make(
            configuration.assistant, generator: llm ?? GroundedComposer(), observer: observer.assistant, logger: logger)
        let database = configuration.database ?? .stateFolder(configuration.stateDirectory)
        let store = try await database.open(sqlite: configuration.store, listens: true, logger: logger)
        do {
            try await serve(configuration, assembled: assembled, store: store, observer: observer, logger: logger)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }

    private static func serve(
        _ configuration: ApplicationConfiguration, assembled: AssembledAssistant, store: any ManagedConversationStore,
        observer: Observer, logger: Logger
    ) async throws {
        var conversations = configuration.conversations
        // Every listener off loopback needs tokens (the web widget registers its visitors).
        let exposed =
            [(configuration.server.host, configuration.server.port)]
            + (configuration.web.map { [($0.host, $0.port)] } ?? [])
        for (host, port) in exposed where !ApplicationConfiguration.isLoopback(host) {
            if !configuration.allowAnonymous, try await !store.hasActiveTokens() {
                throw ApplicationError(
                    "refusing to serve \(host):\(port) without tokens: create one with 'supportbot token create NAME', or pass --allow-anonymous"
                )
            }
            conversations.requireAuth = !configuration.allowAnonymous
        }
        let service = ConversationService(
            store: store, responder: assembled.assistant, configuration: conversations, logger: logger)
        let metrics = ServerMetrics()
        let server = try ChatServer(
            configuration: configuration.server, service: service, logger: logger, metrics: metrics, onListening: observer.listening
        )
        let retrainer = IntentRetrainer(
            directory: configuration.assistant.intentsDirectory, runtime: assembled.runtime, embedder: assembled.embedder,
            modelPath: configuration.assistant.modelPath, fineTuning: configuration.fineTuning, logger: logger)
        // Services shut down in reverse order: metrics stay up while connections drain.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let address = configuration.metricsAddress {
            if !ApplicationConfiguration.isLoopback(address.host) {
                logger.warning(
                    "metrics.unauthenticated",
                    metadata: ["hint": "the metrics endpoint listens off loopback", "host": "\(address.host)"])
            }
            let metricsServer = MetricsServer(
                host: address.host, port: address.port, metrics: metrics, logger: logger, onListening: observer.metricsListening)
            services.append(.init(service: metricsServer))
        }
        services.append(.init(service: RevocationService(service: service)))
        if let feed = store as? any ConversationChangeFeed {
            // Before the server in the list, so it stops after the connections drained.
            services.append(.init(service: ChangeFeedService(service: service, feed: feed)))
        }
        if let web = configuration.web {
            let webServer = try WebServer(
                configuration: web, server: configuration.server, service: service, logger: logger, metrics: metrics,
                analytics: AnalyticsSource(store: store, assembled: assembled).reporter, onListening: observer.webListening)
            services.append(.init(service: webServer))
        }
        services += [
            .init(service: server),
            .init(service: KnowledgeWatcherService(knowledge: assembled.knowledge)),
            .init(service: IntentWatcherService(retrainer: retrainer)),
        ]
        var groupConfiguration = ServiceGroupConfiguration(
            services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGrace
        try await ServiceGroup(configuration: groupConfiguration).run()
    }
}
