import Logging
import PostgresNIO
import Store

/// The PostgreSQL schema as an ordered list of named migrations, applied once per database
/// under a session advisory lock, so nodes starting together neither race nor fail: the first
/// migrates, the others wait on the lock and then find nothing left to do. A shipped migration
/// is never edited; changes are appended.
///
/// Same model as the SQLite schema: times are integer milliseconds since 1970 (UTC), ids 32
/// lowercase hex digits, sources JSON text. `conversations.last_seq` is the counter appends
/// bump under the conversation's row lock, so `seq` stays gap-free and ordered when several
/// nodes write one conversation.
enum PostgresSchema {
    /// `pg_advisory_lock` key: "SupportBot" in ASCII, truncated to 63 bits.
    static let migrationLockKey: Int64 = 0x5375_7070_6F72_7442

    static let migrations: [(name: String, statements: [String])] = [
        (
            "v1",
            [
                """
                CREATE TABLE clients (
                    id BIGSERIAL PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    role TEXT NOT NULL CHECK (role IN ('customer', 'agent')),
                    token_hash TEXT UNIQUE,
                    created_at BIGINT NOT NULL,
                    revoked_at BIGINT
                )
                """,
                """
                CREATE TABLE conversations (
                    id TEXT NOT NULL PRIMARY KEY,
                    client_id BIGINT NOT NULL REFERENCES clients(id),
                    status TEXT NOT NULL CHECK (status IN ('open', 'handoff', 'ended')),
                    metadata TEXT,
                    created_at BIGINT NOT NULL,
                    updated_at BIGINT NOT NULL,
                    last_seq INTEGER NOT NULL DEFAULT 0
                )
                """,
                "CREATE INDEX conversations_by_client ON conversations(client_id, created_at, id)",
                "CREATE INDEX conversations_by_status ON conversations(status, updated_at)",
                "CREATE INDEX conversations_by_creation ON conversations(created_at, id)",
                """
                CREATE TABLE messages (
                    id TEXT NOT NULL PRIMARY KEY,
                    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
                    seq INTEGER NOT NULL CHECK (seq >= 1),
                    role TEXT NOT NULL CHECK (role IN ('user', 'bot', 'agent', 'system')),
                    text TEXT NOT NULL,
                    intent TEXT,
                    confidence DOUBLE PRECISION,
                    route TEXT,
                    sources TEXT,
                    latency_us BIGINT,
                    created_at BIGINT NOT NULL,
                    author TEXT,
                    UNIQUE (conversation_id, seq)
                )
                """,
                "CREATE INDEX messages_by_creation ON messages(created_at)",
                """
                CREATE TABLE feedback (
                    message_id TEXT NOT NULL PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
                    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
                    comment TEXT,
                    created_at BIGINT NOT NULL
                )
                """,
            ]
        ),
        (
            // Admin tokens open the analytics page (/admin).
            "v2-admin-role",
            [
                "ALTER TABLE clients DROP CONSTRAINT clients_role_check",
                "ALTER TABLE clients ADD CONSTRAINT clients_role_check CHECK (role IN ('customer', 'agent', 'admin'))",
            ]
        ),
    ]

    /// Names of every migration this binary knows, oldest first.
    static var knownMigrations: [String] { migrations.map(\.name) }

    /// Applies the missing migrations on `connection` under the advisory lock. Throws
    /// `newer_schema` when the database holds a migration this binary does not know.
    static func migrate(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query("SELECT pg_advisory_lock(\(migrationLockKey))", logger: logger)
        do {
            try await applyMissing(connection, logger: logger)
        } catch {
            _ = try? await connection.query("SELECT pg_advisory_unlock(\(migrationLockKey))", logger: logger)
            throw error
        }
        try await connection.query("SELECT pg_advisory_unlock(\(migrationLockKey))", logger: logger)
    }

    private static func applyMissing(_ connection: PostgresConnection, logger: Logger) async throws {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS supportbot_migrations (
                name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
            )
            """, logger: logger)
        let applied = try await appliedMigrations(connection, logger: logger)
        let known = Set(knownMigrations)
        if let unknown = applied.first(where: { !known.contains($0) }) {
            throw StoreError(
                .newerSchema,
                "the database has migration '\(unknown)', which this SupportBot does not know; run the newer SupportBot that migrated it"
            )
        }
        for migration in migrations where !applied.contains(migration.name) {
            try await connection.withTransaction(logger: logger) { connection in
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query(
                    "INSERT INTO supportbot_migrations (name) VALUES (\(migration.name))", logger: logger)
            }
            logger.info("store.migrated", metadata: ["store.migration": "\(migration.name)"])
        }
    }

    /// Applied migration names, in the order they were applied.
    static func appliedMigrations(_ connection: PostgresConnection, logger: Logger) async throws -> [String] {
        var names = [String]()
        let rows = try await connection.query(
            "SELECT name FROM supportbot_migrations ORDER BY applied_at, name", logger: logger)
        for try await name in rows.decode(String.self) {
            names.append(name)
        }
        return names
    }
}
