import Foundation
import GRDB
import Store
import SupportCore
import TestSupport
import Testing

@Suite("Clients and tokens")
struct ClientTests {
    @Test("a created token authenticates its client and only its hash is stored")
    func tokenRoundTrip() async throws {
        // Given: a file store and a new agent client
        let directory = try TemporaryDirectory()
        let path = directory.path("db.sqlite")
        let store = try SQLiteStore(path: path, logger: quietLogger())
        let token = try await store.createClient(name: "ops", role: .agent)
        // Then: the token has the documented shape and authenticates
        #expect(token.hasPrefix("sb_"))
        #expect(token.count == 46)
        let client = try #require(try await store.authenticate(token: token))
        #expect(client.name == "ops")
        #expect(client.role == .agent)
        #expect(!client.revoked)
        #expect(try await store.authenticate(token: token + "x") == nil)
        #expect(try await store.hasActiveTokens())
        // And: the database holds no copy of the token itself
        let stored = try await DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT coalesce(token_hash, '') || name FROM clients")
        }
        #expect(stored.allSatisfy { !$0.contains(token) && !$0.contains(String(token.dropFirst(3))) })
    }

    @Test("two clients get different tokens; a duplicate name is refused", arguments: StoreBackend.all)
    func duplicates(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let first = try await store.createClient(name: "a", role: .customer)
        let second = try await store.createClient(name: "b", role: .customer)
        #expect(first != second)
        let error = await #expect(throws: StoreError.self) { _ = try await store.createClient(name: "a", role: .agent) }
        #expect(error?.code == .alreadyExists)
        #expect(try await store.clients().map(\.name) == ["a", "b"])
    }

    @Test("every role is stored and comes back, admin included", arguments: StoreBackend.all)
    func roles(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        for role in ClientRole.allCases {
            let token = try await store.createClient(name: "client-\(role.rawValue)", role: role)
            #expect(try await store.authenticate(token: token)?.role == role)
        }
    }

    @Test("a revoked token no longer authenticates", arguments: StoreBackend.all)
    func revoke(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        let token = try await store.createClient(name: "shop", role: .customer)
        #expect(try await store.revokeClient(name: "shop"))
        #expect(try await store.authenticate(token: token) == nil)
        #expect(try await !store.hasActiveTokens())
        #expect(try await store.clients().first?.revoked == true)
        #expect(try await !store.revokeClient(name: "nobody"))
    }

    @Test("a client made on demand by a conversation can receive a token later", arguments: StoreBackend.all)
    func tokenForOnDemandClient(backend: StoreBackend) async throws {
        let store = try await backend.makeStore()
        _ = try await store.createConversation(client: "local", metadata: nil)
        #expect(try await !store.hasActiveTokens())
        let token = try await store.createClient(name: "local", role: .agent)
        #expect(try await store.authenticate(token: token)?.role == .agent)
    }

    @Test(
        "invalid client names are refused",
        arguments: StoreBackend.all, ["", " padded", "tab\there", String(repeating: "x", count: 129)])
    func invalidNames(backend: StoreBackend, name: String) async throws {
        let store = try await backend.makeStore()
        let error = await #expect(throws: StoreError.self) { _ = try await store.createClient(name: name, role: .customer) }
        #expect(error?.code == .invalidArgument)
    }
}
