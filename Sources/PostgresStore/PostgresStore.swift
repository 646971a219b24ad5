import Foundation
import Logging
import NIOSSL
import PostgresNIO
import Store
import SupportCore

/// The conversation store on PostgreSQL, for several nodes sharing one database. Same promises
/// as `SQLiteStore`: an append returns only after its transaction committed (the server's
/// `synchronous_commit`, on by default, is checked at open), random 128-bit ids, a gap-free
/// `seq` per conversation even when nodes write the same conversation (the conversation's row
/// lock orders them), client isolation, streamed exports, purges in batches, hashed tokens.
///
/// Appends from every session of the node queue in a group committer that runs up to
/// `concurrentCommits` transactions at once. Customer and agent messages and status changes
/// are announced with `NOTIFY` inside the committing transaction; a listener connection per
/// node turns them into a `ConversationChangeFeed` (and reconnects with backoff). A database
/// that goes away makes calls fail with `unavailable`; the pool reconnects by itself.
public final class PostgresStore: ManagedConversationStore, ConversationChangeFeed {
    /// The `NOTIFY` channel changes are announced on.
    static let channel = "supportbot_changes"

    public let configuration: PostgresStoreConfiguration
    let client: PostgresClient
    let logger: Logger
    private let runTask: Task<Void, Never>
    let committer: PostgresGroupCommitter
    let listener: PostgresChangeListener

    /// The migration names this binary knows, oldest first.
    public static var knownMigrations: [String] { PostgresSchema.knownMigrations }

    public var location: String { configuration.redactedURL }
    public var nodeID: String { configuration.nodeID }

    /// Connects, waits up to `startupTimeout` for an unreachable server (logging each retry),
    /// checks `synchronous_commit` and migrates under the advisory lock.
    public static func open(_ configuration: PostgresStoreConfiguration, logger: Logger) async throws -> PostgresStore {
        let clientConfiguration = try makeClientConfiguration(configuration)
        let client = PostgresClient(configuration: clientConfiguration, backgroundLogger: Self.quiet(logger))
        let store = PostgresStore(configuration: configuration, client: client, logger: logger)
        do {
            try await store.prepare()
        } catch {
            await store.close()
            throw error
        }
        return store
    }

    private init(configuration: PostgresStoreConfiguration, client: PostgresClient, logger: Logger) {
        self.configuration = configuration
        self.client = client
        self.logger = logger
        self.runTask = Task { await client.run() }
        self.committer = PostgresGroupCommitter(client: client, configuration: configuration, logger: logger)
        self.listener = PostgresChangeListener(configuration: configuration, logger: logger)
    }

    private func prepare() async throws {
        let deadline = ContinuousClock.now + configuration.startupTimeout
        var attempt = 0
        while true {
            attempt += 1
            do {
                let remaining = max(deadline - ContinuousClock.now, .milliseconds(200))
                try await withDeadline(
                    min(remaining, .seconds(10)),
                    timedOut: StoreError(.unavailable, "no connection to the database within the start-up timeout")
                ) { [configuration, logger] in
                    // A connection of its own, not the pool's: the pool retries a failing
                    // connect silently, which would turn a refused password or an untrusted
                    // certificate into a timeout instead of its own clear error.
                    let connection = try await PostgresConnection.connect(
                        configuration: try Self.connectionConfiguration(configuration), id: 0, logger: Self.quiet(logger))
                    do {
                        let rows = try await connection.query("SHOW synchronous_commit", logger: logger)
                        for try await level in rows.decode(String.self) where level == "off" {
                            throw StoreError(
                                .invalidArgument,
                                "the database has synchronous_commit = off, so a reply could outlive a crash of the server; set it to on"
                            )
                        }
                        try await PostgresSchema.migrate(connection, logger: logger)
                    } catch {
                        try? await connection.close()
                        throw error
                    }
                    try await connection.close()
                }
                break
            } catch {
                let wrapped = Self.storeError(error, operation: "open")
                guard wrapped.code == .unavailable, ContinuousClock.now < deadline else {
                    throw StoreError(wrapped.code, wrapped.message, path: location)
                }
                logger.warning(
                    "store.waiting_for_database",
                    metadata: ["store.url": "\(location)", "store.attempt": "\(attempt)", "store.error": "\(wrapped.message)"])
                try await Task.sleep(for: .milliseconds(500))
            }
        }
        if configuration.listens {
            await listener.start()
        }
        logger.debug("store.opened", metadata: ["store.url": "\(location)", "store.node": "\(nodeID)"])
    }

    deinit {
        // A store dropped without `close()` (a test, an error path) still releases its
        // connections: the pool's run loop ends when cancelled.
        runTask.cancel()
        listener.cancel()
    }

    public func changes() -> AsyncStream<ConversationFeedItem> {
        listener.items
    }

    public func appliedMigrations() async throws -> [String] {
        try await withConnection("read migrations") { connection in
            try await PostgresSchema.appliedMigrations(connection, logger: self.logger)
        }
    }

    /// Group-commit counters since the store was opened.
    public func groupCommitStatistics() async -> GroupCommitStatistics {
        await committer.currentStatistics
    }

    public func close() async {
        await listener.stop()
        runTask.cancel()
        await runTask.value
    }

    // MARK: Helpers for the extensions

    /// Runs `body` on a pooled connection, mapping errors to `StoreError`.
    func withConnection<T: Sendable>(
        _ operation: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        do {
            return try await withDeadline(configuration.operationTimeout, timedOut: Self.timedOut(operation)) {
                [client] in
                try await client.withConnection { connection in try await body(connection) }
            }
        } catch {
            throw Self.storeError(error, operation: operation)
        }
    }

    /// Runs `body` in a transaction on a pooled connection, mapping errors to `StoreError`.
    func withTransaction<T: Sendable>(
        _ operation: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T
    ) async throws -> T {
        do {
            return try await withDeadline(configuration.operationTimeout, timedOut: Self.timedOut(operation)) {
                [client, logger] in
                try await client.withConnection { connection in
                    try await connection.withTransaction(logger: logger) { connection in try await body(connection) }
                }
            }
        } catch {
            throw Self.storeError(error, operation: operation)
        }
    }

    static func timedOut(_ operation: String) -> StoreError {
        StoreError(.unavailable, "\(operation) got no answer from the database in time")
    }

    // MARK: Opening

    static func makeClientConfiguration(_ configuration: PostgresStoreConfiguration) throws -> PostgresClient.Configuration {
        var result = PostgresClient.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database,
            tls: try tls(configuration))
        result.options.maximumConnections = configuration.maximumConnections
        result.options.minimumConnections = 0
        result.options.connectTimeout = .seconds(5)
        result.options.additionalStartupParameters = [("application_name", "supportbot-\(configuration.nodeID)")]
        return result
    }

    static func connectionConfiguration(_ configuration: PostgresStoreConfiguration) throws -> PostgresConnection.Configuration {
        let tlsConfiguration = try tlsConfiguration(configuration)
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch configuration.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: tlsConfiguration!))
            case .require: tls = .require(try NIOSSLContext(configuration: tlsConfiguration!))
            }
        } catch {
            throw StoreError(.invalidArgument, "cannot set up TLS to the database: \(error)")
        }
        var result = PostgresConnection.Configuration(
            host: configuration.host, port: configuration.port, username: configuration.username,
            password: configuration.password, database: configuration.database, tls: tls)
        result.options.connectTimeout = .seconds(5)
        result.options.additionalStartupParameters = [("application_name", "supportbot-\(configuration.nodeID)")]
        return result
    }

    private static func tls(_ configuration: PostgresStoreConfiguration) throws -> PostgresClient.Configuration.TLS {
        switch configuration.tls {
        case .disable: .disable
        case .prefer: .prefer(try tlsConfiguration(configuration)!)
        case .require: .require(try tlsConfiguration(configuration)!)
        }
    }

    private static func tlsConfiguration(_ configuration: PostgresStoreConfiguration) throws -> TLSConfiguration? {
        var tls = TLSConfiguration.makeClientConfiguration()
        switch configuration.tls {
        case .disable:
            return nil
        case .prefer:
            tls.certificateVerification = .none
        case .require:
            if let path = configuration.rootCertificatePath {
                do {
                    tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(path))
                } catch {
                    throw StoreError(.invalidArgument, "cannot read the database CA certificates: \(error)", path: path)
                }
            }
        }
        return tls
    }

    /// postgres-nio logs every failed connection attempt of the pool at error level; while the
    /// database restarts that is one line per attempt. The store logs the outage itself.
    private static func quiet(_ logger: Logger) -> Logger {
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .critical)
        return quiet
    }
}
