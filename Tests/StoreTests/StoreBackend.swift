import Foundation
import GRDB
import PostgresNIO
import PostgresStore
import PostgresTestSupport
import Store
import Testing

/// The backends the store contract is checked on: SQLite always, PostgreSQL when the test
/// cluster is configured (`make test` starts one). Tests taking `StoreBackend.all` as arguments
/// run once per backend on a fresh, empty store.
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    static var all: [StoreBackend] { TestPostgres.isEnabled ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }

    /// A fresh store: an SQLite database (in memory, or a file in a temporary folder when
    /// `file`, for tests that reach into it with SQL), or a new database on the test cluster.
    func makeStore(messageIDs: MessageIDScheme = .random, file: Bool = false) async throws -> any ManagedConversationStore {
        switch self {
        case .sqlite:
            let path = file ? FileManager.default.temporaryDirectory.appendingPathComponent("store-\(UUID()).sqlite").path : nil
            return try SQLiteStore(path: path, configuration: StoreConfiguration(messageIDs: messageIDs), logger: quietLogger())
        case .postgres:
            return try await TestPostgres.freshStore(messageIDs: messageIDs)
        }
    }

    /// Runs raw SQL statements on `store`'s database, behind the store's back (to backdate rows).
    func execute(_ statements: [String], in store: any ManagedConversationStore) async throws {
        if let store = store as? SQLiteStore {
            let path = try #require(store.path, "raw SQL needs a file store: makeStore(file: true)")
            try await DatabaseQueue(path: path).write { db in
                for statement in statements { try db.execute(sql: statement) }
            }
        } else if let store = store as? PostgresStore {
            try await withConnection(store) { connection in
                for statement in statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: TestPostgres.quiet)
                }
            }
        }
    }

    /// The integer a `SELECT count(*) …` returns on `store`'s database.
    func count(_ query: String, in store: any ManagedConversationStore) async throws -> Int {
        if let store = store as? SQLiteStore {
            let path = try #require(store.path, "raw SQL needs a file store: makeStore(file: true)")
            return try await DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: query) ?? -1 }
        }
        let store = try #require(store as? PostgresStore)
        return try await withConnection(store) { connection in
            var count = -1
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: query), logger: TestPostgres.quiet)
                .decode(Int.self)
            {
                count = value
            }
            return count
        }
    }

    private func withConnection<T: Sendable>(
        _ store: PostgresStore, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        let configuration = store.configuration
        let connection = try await PostgresConnection.connect(
            configuration: PostgresConnection.Configuration(
                host: configuration.host, port: configuration.port, username: configuration.username,
                password: configuration.password, database: configuration.database, tls: .disable),
            id: 1, logger: TestPostgres.quiet)
        do {
            let result = try await body(connection)
            try await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}
