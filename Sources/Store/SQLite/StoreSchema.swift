import Foundation
import GRDB

/// The database schema as an ordered list of string-named migrations. A migration is never
/// edited once shipped: schema changes are new migrations appended to the list.
///
/// Times are stored as integer milliseconds since 1970 (UTC); ids as 32 lowercase hex digits;
/// message sources as JSON text (NULL when there are none).
enum StoreSchema {
    /// Names of every migration this binary knows, oldest first.
    static var knownMigrations: [String] { migrator.migrations }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE clients (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE,
                        role TEXT NOT NULL CHECK (role IN ('customer', 'agent')),
                        token_hash TEXT UNIQUE,
                        created_at INTEGER NOT NULL,
                        revoked_at INTEGER
                    );
                    CREATE TABLE conversations (
                        id TEXT NOT NULL PRIMARY KEY,
                        client_id INTEGER NOT NULL REFERENCES clients(id),
                        status TEXT NOT NULL CHECK (status IN ('open', 'handoff', 'ended')),
                        metadata TEXT,
                        created_at INTEGER NOT NULL,
                        updated_at INTEGER NOT NULL
                    );
                    CREATE INDEX conversations_by_client ON conversations(client_id, created_at, id);
                    CREATE INDEX conversations_by_status ON conversations(status, updated_at);
                    CREATE INDEX conversations_by_creation ON conversations(created_at, id);
                    CREATE TABLE messages (
                        id TEXT NOT NULL PRIMARY KEY,
                        conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
                        seq INTEGER NOT NULL CHECK (seq >= 1),
                        role TEXT NOT NULL CHECK (role IN ('user', 'bot', 'agent', 'system')),
                        text TEXT NOT NULL,
                        intent TEXT,
                        confidence REAL,
                        route TEXT,
                        sources TEXT,
                        latency_us INTEGER,
                        created_at INTEGER NOT NULL,
                        UNIQUE (conversation_id, seq)
                    );
                    CREATE TABLE feedback (
                        message_id TEXT NOT NULL PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
                        rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
                        comment TEXT,
                        created_at INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v2-author") { db in
            // The agent who wrote a message (multi-node pushes name the agent; see NewMessage.author).
            try db.execute(sql: "ALTER TABLE messages ADD COLUMN author TEXT")
        }
        migrator.registerMigration("v3-admin-role") { db in
            // Admin tokens open the analytics page (/admin). SQLite cannot alter a CHECK
            // constraint: the table is rebuilt (foreign keys are checked after the migration).
            try db.execute(
                sql: """
                    CREATE TABLE clients_v3 (
                        id INTEGER PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE,
                        role TEXT NOT NULL CHECK (role IN ('customer', 'agent', 'admin')),
                        token_hash TEXT UNIQUE,
                        created_at INTEGER NOT NULL,
                        revoked_at INTEGER
                    );
                    INSERT INTO clients_v3 (id, name, role, token_hash, created_at, revoked_at)
                        SELECT id, name, role, token_hash, created_at, revoked_at FROM clients;
                    DROP TABLE clients;
                    ALTER TABLE clients_v3 RENAME TO clients;
                    """)
        }
        return migrator
    }
}
