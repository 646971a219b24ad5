import Foundation
import PostgresNIO
import Store
import SupportCore

extension PostgresStore {
    public func createClient(name: String, role: ClientRole) async throws -> String {
        try StoreValidation.clientName(name)
        let token = ClientToken.generate()
        let hash = ClientToken.hash(token)
        let now = Date().millisSince1970
        let logger = self.logger
        try await withTransaction("create client") { connection in
            let rows = try await connection.query(
                "SELECT token_hash, revoked_at FROM clients WHERE name = \(name) FOR UPDATE", logger: logger)
            var existing: (String?, Int64?)?
            for try await row in rows.decode((String?, Int64?).self) { existing = row }
            if let existing {
                guard existing.0 == nil, existing.1 == nil else {
                    throw StoreError(.alreadyExists, "a client named \(name) exists already")
                }
                // A client made on demand by `createConversation` receives its first token.
                try await connection.query(
                    "UPDATE clients SET token_hash = \(hash), role = \(role.rawValue) WHERE name = \(name)", logger: logger)
            } else {
                try await connection.query(
                    """
                    INSERT INTO clients (name, role, token_hash, created_at) VALUES (\(name), \(role.rawValue), \(hash), \(now))
                    """, logger: logger)
            }
        }
        logger.info("store.client.created", metadata: ["client.name": "\(name)", "client.role": "\(role)"])
        return token
    }

    public func authenticate(token: String) async throws -> Client? {
        let hash = ClientToken.hash(token)
        let logger = self.logger
        return try await withConnection("authenticate") { connection in
            let rows = try await connection.query(
                "SELECT name, role, created_at, revoked_at FROM clients WHERE token_hash = \(hash) AND revoked_at IS NULL",
                logger: logger)
            return try await Self.clients(rows).first
        }
    }

    public func clients() async throws -> [Client] {
        let logger = self.logger
        return try await withConnection("list clients") { connection in
            let rows = try await connection.query(
                "SELECT name, role, created_at, revoked_at FROM clients ORDER BY name", logger: logger)
            return try await Self.clients(rows)
        }
    }

    public func revokeClient(name: String) async throws -> Bool {
        let now = Date().millisSince1970
        let logger = self.logger
        let found = try await withConnection("revoke client") { connection -> Bool in
            let rows = try await connection.query(
                """
                WITH found AS (SELECT id FROM clients WHERE name = \(name)),
                revoked AS (UPDATE clients SET revoked_at = \(now) WHERE name = \(name) AND revoked_at IS NULL RETURNING id)
                SELECT count(*) FROM found
                """, logger: logger)
            var count = 0
            for try await value in rows.decode(Int.self) { count = value }
            return count > 0
        }
        if found {
            logger.info("store.client.revoked", metadata: ["client.name": "\(name)"])
        }
        return found
    }

    public func hasActiveTokens() async throws -> Bool {
        let logger = self.logger
        return try await withConnection("check tokens") { connection in
            let rows = try await connection.query(
                "SELECT EXISTS (SELECT 1 FROM clients WHERE token_hash IS NOT NULL AND revoked_at IS NULL)", logger: logger)
            var exists = false
            for try await value in rows.decode(Bool.self) { exists = value }
            return exists
        }
    }

    private static func clients(_ rows: PostgresRowSequence) async throws -> [Client] {
        var clients = [Client]()
        for try await (name, rawRole, createdAt, revokedAt) in rows.decode((String, String, Int64, Int64?).self) {
            guard let role = ClientRole(rawValue: rawRole) else {
                throw StoreError(.corrupt, "client \(name) has an invalid role")
            }
            clients.append(Client(name: name, role: role, createdAt: Date(millis: createdAt), revoked: revokedAt != nil))
        }
        return clients
    }
}
