import Foundation
import Logging
import PostgresNIO
import PostgresStore
import Store

/// The throwaway PostgreSQL cluster `make test` starts (`scripts/postgres-cluster`), named by
/// `SUPPORTBOT_POSTGRES_URL`. Each test gets a database of its own, so tests run in parallel
/// without seeing each other's rows. Without the variable, PostgreSQL cases are skipped, unless
/// `SUPPORTBOT_REQUIRE_POSTGRES=1` (set by `make test`) makes that a failure.
public enum TestPostgres {
    /// The cluster's URL, when one is configured.
    public static var url: String? {
        ProcessInfo.processInfo.environment["SUPPORTBOT_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Whether a missing cluster is an error rather than a skip.
    public static var isRequired: Bool {
        ProcessInfo.processInfo.environment["SUPPORTBOT_REQUIRE_POSTGRES"] == "1"
    }

    /// Whether PostgreSQL cases run: a cluster is configured, or one is required (and the
    /// cases fail, saying how to start it).
    public static var isEnabled: Bool { url != nil || isRequired }

    /// The configuration of a new, empty database on the cluster.
    public static func freshDatabase(listens: Bool = false, nodeID: String? = nil) async throws -> PostgresStoreConfiguration {
        guard let url else {
            throw StoreError(
                .cannotOpen,
                "SUPPORTBOT_POSTGRES_URL is not set; start a cluster with scripts/postgres-cluster start DIR and export its URL (make test does)"
            )
        }
        var base = try PostgresStoreConfiguration(url: url)
        let name = "t_" + PostgresStoreConfiguration.randomNodeID()
        let connection = try await PostgresConnection.connect(
            configuration: PostgresConnection.Configuration(
                host: base.host, port: base.port, username: base.username, password: base.password,
                database: base.database, tls: .disable),
            id: 1, logger: quiet)
        do {
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: quiet)
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
        base.database = name
        base.listens = listens
        // Many stores are open at once while the suites run in parallel on 2 busy cores: few
        // connections each, and time limits for a loaded machine rather than for an outage.
        base.maximumConnections = 3
        base.concurrentCommits = 2
        base.operationTimeout = .seconds(60)
        base.startupTimeout = .seconds(60)
        if let nodeID { base.nodeID = nodeID }
        return base
    }

    /// Opens a store on a new, empty database.
    public static func freshStore(
        listens: Bool = false, messageIDs: MessageIDScheme = .random, logger: Logger = quiet
    ) async throws -> PostgresStore {
        var configuration = try await freshDatabase(listens: listens)
        configuration.messageIDs = messageIDs
        return try await PostgresStore.open(configuration, logger: logger)
    }

    /// A logger for tests that stays quiet unless something is badly wrong.
    public static var quiet: Logger {
        var logger = Logger(label: "postgres-tests")
        logger.logLevel = .critical
        return logger
    }
}
