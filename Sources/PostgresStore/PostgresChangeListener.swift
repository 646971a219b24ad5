import Foundation
import Logging
import PostgresNIO
import Store
import SupportCore
import Synchronization

/// The node's own connection that `LISTEN`s for announced changes and turns them into the
/// store's `ConversationChangeFeed`. When the connection is lost (database restarted, network
/// cut, missed heartbeat) it reconnects with exponential backoff and, once listening again,
/// delivers `.resumed(since:)` so the node re-reads what it caches from the store.
final class PostgresChangeListener: Sendable {
    /// How often an idle listening connection is checked with a query.
    static let heartbeat: Duration = .seconds(5)
    /// Slack subtracted from the start of a gap, for clocks of nodes that differ a little.
    static let gapMargin: TimeInterval = 5

    let items: AsyncStream<ConversationFeedItem>
    private let continuation: AsyncStream<ConversationFeedItem>.Continuation
    private let configuration: PostgresStoreConfiguration
    private let logger: Logger
    private let task = Mutex<Task<Void, Never>?>(nil)
    private let listening = Atomic<Bool>(false)

    init(configuration: PostgresStoreConfiguration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        (items, continuation) = AsyncStream.makeStream(of: ConversationFeedItem.self, bufferingPolicy: .bufferingNewest(10_000))
    }

    /// Whether the listening connection is up (for tests and health).
    var isListening: Bool { listening.load(ordering: .acquiring) }

    /// Starts listening; returns once the first `LISTEN` succeeded (or after 5 s, the loop then
    /// keeps trying in the background).
    func start() async {
        let loop = Task { await self.run() }
        task.withLock { $0 = loop }
        let deadline = ContinuousClock.now + .seconds(5)
        while !isListening, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Stops listening without waiting (for `deinit`).
    func cancel() {
        task.withLock { $0?.cancel() }
        continuation.finish()
    }

    /// Stops listening and finishes the feed.
    func stop() async {
        let loop = task.withLock { task -> Task<Void, Never>? in
            defer { task = nil }
            return task
        }
        loop?.cancel()
        await loop?.value
        continuation.finish()
    }

    private func run() async {
        var delay = configuration.reconnectDelay
        var gapStart: Date?
        var attempt = 0
        while !Task.isCancelled {
            attempt += 1
            var healthy = Date()
            do {
                var connectionConfiguration = try PostgresStore.connectionConfiguration(configuration)
                connectionConfiguration.options.additionalStartupParameters = [
                    ("application_name", "supportbot-\(configuration.nodeID)-listener")
                ]
                let quiet = Self.quiet(logger)
                let connection = try await PostgresConnection.connect(
                    configuration: connectionConfiguration, id: attempt, logger: quiet)
                do {
                    try await connection.listen(on: PostgresStore.channel) { notifications in
                        listening.store(true, ordering: .releasing)
                        if let since = gapStart {
                            logger.info("store.listener.resumed", metadata: ["store.gap_start": "\(since)"])
                            continuation.yield(.resumed(since: since))
                            gapStart = nil
                        }
                        delay = configuration.reconnectDelay
                        healthy = Date()
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            group.addTask {
                                for try await notification in notifications {
                                    await self.deliver(notification.payload, connection: connection)
                                }
                                throw StoreError(.unavailable, "the listening connection closed")
                            }
                            group.addTask {
                                while true {
                                    try await Task.sleep(for: Self.heartbeat)
                                    try await connection.query("SELECT 1", logger: quiet)
                                }
                            }
                            try await group.next()
                            group.cancelAll()
                        }
                    }
                } catch {
                    listening.store(false, ordering: .releasing)
                    try? await connection.close()
                    throw error
                }
            } catch {
                listening.store(false, ordering: .releasing)
                if Task.isCancelled { break }
                if gapStart == nil {
                    gapStart = healthy.addingTimeInterval(-Self.gapMargin)
                    logger.warning(
                        "store.listener.lost",
                        metadata: ["store.error": "\(PostgresStore.storeError(error, operation: "listen").message)"])
                }
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, configuration.maximumReconnectDelay)
        }
        listening.store(false, ordering: .releasing)
    }

    private static func quiet(_ logger: Logger) -> Logger {
        var quiet = logger
        quiet.logLevel = .critical
        return quiet
    }

    /// Decodes one payload and yields it; a message announced without its text is read first.
    private func deliver(_ payload: String, connection: PostgresConnection) async {
        guard let announcement = try? JSONDecoder().decode(Announcement.self, from: Data(payload.utf8)),
            let conversation = ConversationID(rawValue: announcement.c)
        else {
            logger.warning("store.listener.unreadable", metadata: ["store.payload": "\(payload.prefix(200))"])
            return
        }
        if let status = announcement.s.flatMap(ConversationStatus.init(rawValue:)) {
            continuation.yield(
                .change(ConversationChange(origin: announcement.o, conversation: conversation, kind: .status(status))))
            return
        }
        guard let announced = announcement.m, let id = MessageID(rawValue: announced.id),
            let role = MessageRole(rawValue: announced.role)
        else { return }
        var message = StoredMessage(
            id: id, conversation: conversation, seq: announced.seq, role: role, text: announced.t ?? "", intent: nil,
            confidence: nil, route: nil, sources: [], latencyMicros: nil, createdAt: Date(millis: announced.at),
            author: announced.author)
        if announced.t == nil {
            guard let stored = try? await PostgresStore.message(id: id, connection: connection, logger: logger) else {
                logger.warning("store.listener.message_missing", metadata: ["message.id": "\(id)"])
                return
            }
            message = stored
        }
        continuation.yield(.change(ConversationChange(origin: announcement.o, conversation: conversation, kind: .message(message))))
    }
}
