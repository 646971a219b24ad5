import Foundation
import PostgresNIO
import PostgresStore
import PostgresTestSupport
import Store
import SupportCore
import Testing

/// What only the PostgreSQL store promises: several nodes on one database.
@Suite("PostgreSQL store: several nodes, one database", .enabled(if: TestPostgres.isEnabled), .timeLimit(.minutes(2)))
struct PostgresStoreTests {
    @Test("nodes starting together on an empty database migrate it exactly once")
    func migrationsRace() async throws {
        let configuration = try await TestPostgres.freshDatabase()
        // When: six nodes open the same empty database at once
        let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
            for _ in 0..<6 {
                group.addTask { try await PostgresStore.open(configuration, logger: TestPostgres.quiet) }
            }
            return try await group.reduce(into: [PostgresStore]()) { $0.append($1) }
        }
        // Then: all opened, and each migration is recorded once
        #expect(stores.count == 6)
        for store in stores {
            #expect(try await store.appliedMigrations() == PostgresStore.knownMigrations)
        }
        let conversation = try await stores[0].createConversation(client: "a", metadata: nil)
        #expect(try await stores[5].conversation(id: conversation.id, client: "a") == conversation)
        for store in stores { await store.close() }
    }

    @Test("two nodes writing one conversation at once keep seq gap-free, each pair adjacent")
    func concurrentNodesKeepSeqOrder() async throws {
        let configuration = try await TestPostgres.freshDatabase()
        let nodeA = try await PostgresStore.open(configuration, logger: TestPostgres.quiet)
        let nodeB = try await PostgresStore.open(configuration, logger: TestPostgres.quiet)
        let conversations = [
            try await nodeA.createConversation(client: "a", metadata: nil).id,
            try await nodeA.createConversation(client: "b", metadata: nil).id,
        ]
        // When: 32 writers per node append 5 pairs each, alternating between two conversations
        let acknowledged = try await withThrowingTaskGroup(of: [StoredMessage].self) { group in
            for writer in 0..<64 {
                let store = writer % 2 == 0 ? nodeA : nodeB
                group.addTask {
                    var stored = [StoredMessage]()
                    for round in 0..<5 {
                        let target = conversations[(writer + round) % 2]
                        stored += try await store.append(pair("w\(writer) r\(round)", "ok \(writer)"), to: target)
                    }
                    return stored
                }
            }
            return try await group.reduce(into: [StoredMessage]()) { $0 += $1 }
        }
        // Then: every conversation holds 1...n without gaps, every user message is followed by
        // its own bot reply, and every acknowledged message is there
        var total = 0
        for conversation in conversations {
            let messages = try await nodeB.messages(conversation: conversation)
            #expect(messages.map(\.seq) == Array(1...messages.count))
            for index in stride(from: 0, to: messages.count, by: 2) {
                #expect(messages[index].role == .user)
                #expect(messages[index + 1].text == "ok " + messages[index].text.split(separator: " ")[0].dropFirst())
            }
            total += messages.count
        }
        #expect(total == 64 * 5 * 2)
        #expect(Set(acknowledged.map(\.id)).count == acknowledged.count)
        #expect((await nodeA.groupCommitStatistics()).appends == 32 * 5)
        await nodeA.close()
        await nodeB.close()
    }

    @Test("a node hears another node's customer and agent messages and status changes, long texts included")
    func changeFeed() async throws {
        let base = try await TestPostgres.freshDatabase()
        var listening = base
        listening.listens = true
        listening.nodeID = "node-a"
        var writing = base
        writing.nodeID = "node-b"
        let nodeA = try await PostgresStore.open(listening, logger: TestPostgres.quiet)
        let nodeB = try await PostgresStore.open(writing, logger: TestPostgres.quiet)
        var feed = nodeA.changes().makeAsyncIterator()
        // When: node B writes a pair, an agent message of 20 kB and a status change
        let conversation = try await nodeB.createConversation(client: "c", metadata: nil).id
        let pair = try await nodeB.append(pair("hello", "hi"), to: conversation)
        let long = String(repeating: "ä long agent answer ", count: 1_000)
        let agent = try await nodeB.append([NewMessage(role: .agent, text: long, route: "agent", author: "sam")], to: conversation)
        #expect(try await nodeB.setStatus(.ended, conversation: conversation))
        // Then: node A hears the user message (not the bot's), the whole agent message and the end
        var received = [ConversationChange]()
        while received.count < 3, let item = await feed.next() {
            if case .change(let change) = item { received.append(change) }
        }
        #expect(received.allSatisfy { $0.origin == "node-b" && $0.conversation == conversation })
        guard received.count == 3 else { return }
        #expect(received[0].kind == .message(pair[0]))
        #expect(received[1].kind == .message(agent[0]))
        #expect(received[2].kind == .status(.ended))
        await nodeA.close()
        await nodeB.close()
    }

    @Test("a database holding a migration this binary does not know is refused untouched")
    func newerSchema() async throws {
        let configuration = try await TestPostgres.freshDatabase()
        let store = try await PostgresStore.open(configuration, logger: TestPostgres.quiet)
        let conversation = try await store.createConversation(client: "a", metadata: nil).id
        try await raw(configuration, "INSERT INTO supportbot_migrations (name) VALUES ('v99-from-the-future')")
        await store.close()
        let error = await #expect(throws: StoreError.self) {
            _ = try await PostgresStore.open(configuration, logger: TestPostgres.quiet)
        }
        #expect(error?.code == .newerSchema)
        #expect(error?.message.contains("v99-from-the-future") == true)
        try await raw(configuration, "DELETE FROM supportbot_migrations WHERE name = 'v99-from-the-future'")
        let reopened = try await PostgresStore.open(configuration, logger: TestPostgres.quiet)
        #expect(try await reopened.conversation(id: conversation, client: "a") != nil)
        await reopened.close()
    }

    @Test("a database with synchronous_commit off is refused: a reply could outlive a crash")
    func synchronousCommitOff() async throws {
        let configuration = try await TestPostgres.freshDatabase()
        try await raw(configuration, "ALTER DATABASE \(configuration.database) SET synchronous_commit = off")
        let error = await #expect(throws: StoreError.self) {
            _ = try await PostgresStore.open(configuration, logger: TestPostgres.quiet)
        }
        #expect(error?.message.contains("synchronous_commit") == true)
    }

    @Test("an unreachable server fails the open with unavailable after the start-up timeout")
    func unreachable() async throws {
        var configuration = try PostgresStoreConfiguration(url: "postgres://nobody@127.0.0.1:1/none")
        configuration.startupTimeout = .milliseconds(600)
        let error = await #expect(throws: StoreError.self) {
            _ = try await PostgresStore.open(configuration, logger: TestPostgres.quiet)
        }
        #expect(error?.code == .unavailable)
        #expect(error?.path == "postgres://nobody@127.0.0.1:1/none")
    }

    @Test("the database keeps only token hashes; a text with NUL is refused alone")
    func tokensHashedAndBadText() async throws {
        let configuration = try await TestPostgres.freshDatabase()
        let store = try await PostgresStore.open(configuration, logger: TestPostgres.quiet)
        let token = try await store.createClient(name: "ops", role: .agent)
        let hashes = try await rawStrings(configuration, "SELECT coalesce(token_hash, '') || name FROM clients")
        #expect(hashes.count == 1)
        #expect(hashes.allSatisfy { !$0.contains(String(token.dropFirst(3))) })
        let conversation = try await store.createConversation(client: "c", metadata: nil).id
        // Both appends in flight at once, so they may share a transaction: only the bad one fails
        let bad = Task { try await store.append(pair("nul \u{0} here", "ok"), to: conversation) }
        let good = try await store.append(pair("fine", "ok"), to: conversation)
        #expect(good.count == 2)
        let error = await #expect(throws: StoreError.self) { _ = try await bad.value }
        #expect(error?.code == .invalidArgument)
        #expect(try await store.messages(conversation: conversation).map(\.text) == ["fine", "ok"])
        await store.close()
    }

    @Test(
        "database URLs: defaults, TLS modes, escapes and mistakes",
        arguments: [
            ("postgres://u@db.example.com/app", "postgres://u@db.example.com:5432/app", "require"),
            ("postgresql://u:p%40ss@127.0.0.1:6000/app?sslmode=prefer", "postgres://u:***@127.0.0.1:6000/app", "prefer"),
            ("postgres://u@localhost", "postgres://u@localhost:5432/u", "disable"),
        ])
    func urls(text: String, redacted: String, tls: String) throws {
        let configuration = try PostgresStoreConfiguration(url: text)
        #expect(configuration.redactedURL == redacted)
        #expect(configuration.tls.rawValue == tls)
    }

    @Test(
        "malformed database URLs say what is wrong",
        arguments: [
            "mysql://u@h/db", "postgres:///db", "postgres://h:5432/db", "postgres://u@h/db?sslmode=maybe", "postgres://u@h/db?x=1",
        ])
    func badURLs(text: String) {
        let error = #expect(throws: StoreError.self) { _ = try PostgresStoreConfiguration(url: text) }
        #expect(error?.code == .invalidArgument)
    }

    private func raw(_ configuration: PostgresStoreConfiguration, _ sql: String) async throws {
        _ = try await rawStrings(configuration, sql)
    }

    private func rawStrings(_ configuration: PostgresStoreConfiguration, _ sql: String) async throws -> [String] {
        let connection = try await PostgresConnection.connect(
            configuration: PostgresConnection.Configuration(
                host: configuration.host, port: configuration.port, username: configuration.username,
                password: configuration.password, database: configuration.database, tls: .disable),
            id: 1, logger: TestPostgres.quiet)
        var result = [String]()
        do {
            let rows = try await connection.query(PostgresQuery(unsafeSQL: sql), logger: TestPostgres.quiet)
            for try await row in rows {
                if let value = try? row.decode(String.self) { result.append(value) }
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
        return result
    }
}

@Suite("PostgreSQL store: TLS to the database", .enabled(if: TestPostgres.isEnabled), .timeLimit(.minutes(2)))
struct PostgresTLSTests {
    @Test("sslmode=require with the CA encrypts every connection; an untrusted certificate is refused clearly")
    func tlsToTheDatabase() async throws {
        let cluster = try PrivateCluster.start(tls: true)
        defer { cluster.stop() }
        // Given: a store connecting with TLS required and the cluster's CA
        var configuration = try PostgresStoreConfiguration(
            url: cluster.url + "?sslmode=require&sslrootcert=\(cluster.certificateAuthorityPath)")
        configuration.listens = true
        configuration.nodeID = "tls-node"
        let store = try await PostgresStore.open(configuration, logger: TestPostgres.quiet)
        let conversation = try await store.createConversation(client: "a", metadata: nil).id
        #expect(try await store.append(pair("hi", "hello"), to: conversation).count == 2)
        // Then: the server sees every connection of this node (pool and listener) encrypted
        var plain = try PostgresStoreConfiguration(url: cluster.url)
        plain.listens = false
        let observer = try await PostgresStore.open(plain, logger: TestPostgres.quiet)
        let counts = try await sslCounts(cluster.url)
        #expect(counts.encrypted >= 2, "\(counts)")
        #expect(counts.plain == 0, "\(counts)")
        await observer.close()
        await store.close()
        // And: without the private CA the certificate is not trusted, and the error says what to do
        var untrusted = try PostgresStoreConfiguration(url: cluster.url + "?sslmode=require")
        untrusted.startupTimeout = .seconds(2)
        let error = await #expect(throws: StoreError.self) {
            _ = try await PostgresStore.open(untrusted, logger: TestPostgres.quiet)
        }
        #expect(error?.code == .cannotOpen)
        #expect(error?.message.contains("sslrootcert") == true)
    }

    /// Connections of the node `tls-node` by encryption, as the server reports them.
    private func sslCounts(_ url: String) async throws -> (encrypted: Int, plain: Int) {
        let base = try PostgresStoreConfiguration(url: url)
        let connection = try await PostgresConnection.connect(
            configuration: PostgresConnection.Configuration(
                host: base.host, port: base.port, username: base.username, password: nil, database: base.database,
                tls: .disable),
            id: 1, logger: TestPostgres.quiet)
        var counts = (encrypted: 0, plain: 0)
        do {
            let rows = try await connection.query(
                """
                SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_activity a ON a.pid = s.pid
                WHERE a.application_name LIKE 'supportbot-tls-node%'
                """, logger: TestPostgres.quiet)
            for try await encrypted in rows.decode(Bool.self) {
                if encrypted { counts.encrypted += 1 } else { counts.plain += 1 }
            }
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
        return counts
    }
}
