import Foundation
import GRDB
import SupportCore
import TestSupport
import Testing

@testable import Store

@Suite("Schema and migrations")
struct MigrationTests {
    @Test("an empty in-memory database is migrated to every known migration")
    func migratesInMemoryFromEmpty() async throws {
        // Given / When: a fresh in-memory store
        let store = try SQLiteStore(path: nil, logger: quietLogger())
        // Then: every migration this binary knows is applied, in order
        #expect(try await store.appliedMigrations() == SQLiteStore.knownMigrations)
        #expect(SQLiteStore.knownMigrations.first == "v1")
    }

    @Test("an empty file becomes a WAL database with the full schema and synchronous = FULL")
    func migratesFileFromEmpty() async throws {
        // Given: an empty state directory
        let directory = try TemporaryDirectory()
        // When: the store opens it
        let store = try SQLiteStore.open(directory: directory.url, logger: quietLogger())
        // Then: migrations are applied and the writer commits with FULL durability
        #expect(try await store.appliedMigrations() == SQLiteStore.knownMigrations)
        #expect(try await store.synchronousLevel() == 2)
        #expect(try await store.integrityCheck() == ["ok"])
        let path = directory.path(SQLiteStore.fileName)
        let queue = try DatabaseQueue(path: path)
        let (tables, journalMode) = try await queue.read { db in
            (
                Set(try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")),
                try String.fetchOne(db, sql: "PRAGMA journal_mode")
            )
        }
        #expect(tables.isSuperset(of: ["clients", "conversations", "messages", "feedback", "grdb_migrations"]))
        #expect(journalMode == "wal")
    }

    @Test("reopening a migrated database keeps its data and applies nothing twice")
    func reopens() async throws {
        // Given: a store with one conversation
        let directory = try TemporaryDirectory()
        let id: ConversationID
        do {
            let store = try SQLiteStore.open(directory: directory.url, logger: quietLogger())
            id = try await store.createConversation(client: "acme", metadata: nil).id
            _ = try await store.append(pair("hi", "hello"), to: id)
        }
        // When: it is opened again
        let store = try SQLiteStore.open(directory: directory.url, logger: quietLogger())
        // Then: the same migrations and the same messages are there
        #expect(try await store.appliedMigrations() == SQLiteStore.knownMigrations)
        #expect(try await store.messages(conversation: id).map(\.text) == ["hi", "hello"])
    }

    @Test(
        "synchronous = NORMAL only when configured",
        arguments: [
            (StoreConfiguration.Synchronous.full, 2), (.normal, 1),
        ])
    func synchronousLevel(level: StoreConfiguration.Synchronous, expected: Int) async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStore(
            path: directory.path("db.sqlite"), configuration: StoreConfiguration(synchronous: level), logger: quietLogger())
        #expect(try await store.synchronousLevel() == expected)
    }
}

@Suite("Schema and migrations: the admin role")
struct AdminRoleMigrationTests {
    @Test("a database from before the admin role keeps its clients, conversations and links when migrated")
    func upgradesOlderDatabase() async throws {
        // Given: a database migrated only up to v2-author, holding a customer with a conversation
        let directory = try TemporaryDirectory()
        let path = directory.path(SQLiteStore.fileName)
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(queue, upTo: "v2-author")
            try await queue.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO clients (id, name, role, token_hash, created_at) VALUES (7, 'shop', 'customer', 'h1', 1), (8, 'sam', 'agent', 'h2', 2);
                        INSERT INTO conversations (id, client_id, status, created_at, updated_at)
                            VALUES ('0123456789abcdef0123456789abcdef', 7, 'open', 3, 3);
                        """)
                #expect(throws: DatabaseError.self) {
                    try db.execute(sql: "INSERT INTO clients (name, role, created_at) VALUES ('boss', 'admin', 4)")
                }
            }
        }
        // When: the store opens it
        let store = try SQLiteStore.open(directory: directory.url, logger: quietLogger())
        // Then: everything is there, linked as before, and admin clients can be created
        #expect(try await store.appliedMigrations() == SQLiteStore.knownMigrations)
        #expect(try await store.clients().map { "\($0.name):\($0.role.rawValue)" } == ["sam:agent", "shop:customer"])
        let conversation = try #require(ConversationID(rawValue: "0123456789abcdef0123456789abcdef"))
        #expect(try await store.conversation(id: conversation, client: "shop")?.id == conversation)
        let token = try await store.createClient(name: "boss", role: .admin)
        #expect(try await store.authenticate(token: token)?.role == .admin)
        #expect(try await store.integrityCheck() == ["ok"])
        let queue = try DatabaseQueue(path: path)
        let violations = try queue.read { db in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") }
        #expect(violations.isEmpty)
    }
}

@Suite("A damaged database is not served")
struct DamagedDatabaseTests {
    @Test("a file with a damaged page is refused at open with what to do, and left as it was")
    func quickCheckAtOpen() async throws {
        // Given: a database with enough messages to span many pages, closed cleanly
        let directory = try TemporaryDirectory()
        let path = directory.path(SQLiteStore.fileName)
        do {
            let store = try SQLiteStore.open(directory: directory.url, logger: quietLogger())
            let id = try await store.createConversation(client: "acme", metadata: nil).id
            for index in 0..<200 {
                _ = try await store.append(pair("question \(index) " + String(repeating: "q", count: 300), "answer"), to: id)
            }
            await store.close()
        }
        // When: a page in the middle of the file is overwritten
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        let size = try handle.seekToEnd()
        #expect(size > 40 * 4096)
        try handle.seek(toOffset: 20 * 4096 + 8)
        try handle.write(contentsOf: Data(repeating: 0xA5, count: 2048))
        try handle.close()
        let damaged = try Data(contentsOf: URL(fileURLWithPath: path))
        // Then: opening it fails with `corrupt`, naming the file and how to recover, and the
        // file is unchanged
        let error = #expect(throws: StoreError.self) {
            _ = try SQLiteStore.open(directory: directory.url, logger: quietLogger())
        }
        #expect(error?.code == .corrupt)
        #expect(error?.description.contains(".recover") == true)
        #expect(error?.description.contains(path) == true)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == damaged)
    }
}
