import Foundation
import GRDB
import Logging
import SupportCore

extension SQLiteStore {
    public func createClient(name: String, role: ClientRole) async throws -> String {
        try Self.validateClientName(name)
        let token = ClientToken.generate()
        let hash = ClientToken.hash(token)
        let now = Date().millisSince1970
        try await write("create client") { db in
            let existing = try Row.fetchOne(
                db, sql: "SELECT token_hash, revoked_at FROM clients WHERE name = ?", arguments: [name])
            if let existing {
                let tokenHash: String? = try existing.decode(atIndex: 0)
                let revokedAt: Int64? = try existing.decode(atIndex: 1)
                guard tokenHash == nil, revokedAt == nil else {
                    throw StoreError(.alreadyExists, "a client named \(name) exists already")
                }
                // A client made on demand by `createConversation` receives its first token.
                try db.execute(
                    sql: "UPDATE clients SET token_hash = ?, role = ? WHERE name = ?",
                    arguments: [hash, role.rawValue, name])
            } else {
                try db.execute(
                    sql: "INSERT INTO clients (name, role, token_hash, created_at) VALUES (?, ?, ?, ?)",
                    arguments: [name, role.rawValue, hash, now])
            }
        }
        logger.info("store.client.created", metadata: ["client.name": "\(name)", "client.role": "\(role)"])
        return token
    }

    public func authenticate(token: String) async throws -> Client? {
        let hash = ClientToken.hash(token)
        return try await read("authenticate") { db in
            try Row.fetchOne(
                db, sql: "SELECT \(Client.selection) FROM clients WHERE token_hash = ? AND revoked_at IS NULL",
                arguments: [hash]
            ).map { try Client(row: $0) }
        }
    }

    public func clients() async throws -> [Client] {
        try await read("list clients") { db in
            try Row.fetchAll(db, sql: "SELECT \(Client.selection) FROM clients ORDER BY name").map { try Client(row: $0) }
        }
    }

    public func revokeClient(name: String) async throws -> Bool {
        let now = Date().millisSince1970
        let found = try await write("revoke client") { db -> Bool in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM clients WHERE name = ?", arguments: [name]) != nil else {
                return false
            }
            try db.execute(
                sql: "UPDATE clients SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL", arguments: [now, name])
            return true
        }
        if found {
            logger.info("store.client.revoked", metadata: ["client.name": "\(name)"])
        }
        return found
    }

    public func hasActiveTokens() async throws -> Bool {
        try await read("check tokens") { db in
            try Bool.fetchOne(
                db,
                sql: "SELECT EXISTS (SELECT 1 FROM clients WHERE token_hash IS NOT NULL AND revoked_at IS NULL)"
            ) ?? false
        }
    }

    static func validateClientName(_ name: String) throws {
        try StoreValidation.clientName(name)
    }
}
