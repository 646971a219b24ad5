import Foundation
import PostgresNIO
import Store
import SupportCore

extension PostgresStore {
    public func createConversation(client: String, metadata: String?) async throws -> Conversation {
        try StoreValidation.clientName(client)
        try StoreValidation.metadata(metadata)
        let now = Date().millisSince1970
        let conversation = Conversation(
            id: .random(), client: client, status: .open, metadata: metadata,
            createdAt: Date(millis: now), updatedAt: Date(millis: now))
        let id = conversation.id.rawValue
        let logger = self.logger
        try await withTransaction("create conversation") { connection in
            try await connection.query(
                "INSERT INTO clients (name, role, created_at) VALUES (\(client), 'customer', \(now)) ON CONFLICT (name) DO NOTHING",
                logger: logger)
            try await connection.query(
                """
                INSERT INTO conversations (id, client_id, status, metadata, created_at, updated_at)
                SELECT \(id), id, 'open', \(metadata), \(now), \(now) FROM clients WHERE name = \(client)
                """, logger: logger)
        }
        logger.debug("store.conversation.created", metadata: ["conversation.id": "\(conversation.id)"])
        return conversation
    }

    public func conversation(id: ConversationID, client: String?) async throws -> Conversation? {
        let logger = self.logger
        return try await withConnection("read conversation") { connection in
            let rows: PostgresRowSequence
            if let client {
                rows = try await connection.query(
                    """
                    SELECT c.id, cl.name, c.status, c.metadata, c.created_at, c.updated_at
                    FROM conversations c JOIN clients cl ON cl.id = c.client_id WHERE c.id = \(id.rawValue) AND cl.name = \(client)
                    """, logger: logger)
            } else {
                rows = try await connection.query(
                    """
                    SELECT c.id, cl.name, c.status, c.metadata, c.created_at, c.updated_at
                    FROM conversations c JOIN clients cl ON cl.id = c.client_id WHERE c.id = \(id.rawValue)
                    """, logger: logger)
            }
            return try await Self.conversations(rows).first
        }
    }

    public func setStatus(_ status: ConversationStatus, conversation: ConversationID) async throws -> Bool {
        let now = Date().millisSince1970
        let payload = Announcement(origin: nodeID, conversation: conversation, status: status).payload()
        let logger = self.logger
        let channel = Self.channel
        let changed = try await withTransaction("set status") { connection -> Bool in
            let rows = try await connection.query(
                """
                UPDATE conversations SET status = \(status.rawValue), updated_at = \(now) WHERE id = \(conversation.rawValue)
                RETURNING 1
                """, logger: logger)
            var changed = false
            for try await _ in rows { changed = true }
            if changed {
                try await connection.query("SELECT pg_notify(\(channel), \(payload))", logger: logger)
            }
            return changed
        }
        if changed {
            logger.debug(
                "store.conversation.status", metadata: ["conversation.id": "\(conversation)", "conversation.status": "\(status)"])
        }
        return changed
    }

    public func conversations(status: ConversationStatus) async throws -> [Conversation] {
        let logger = self.logger
        return try await withConnection("list conversations") { connection in
            let rows = try await connection.query(
                """
                SELECT c.id, cl.name, c.status, c.metadata, c.created_at, c.updated_at
                FROM conversations c JOIN clients cl ON cl.id = c.client_id WHERE c.status = \(status.rawValue)
                ORDER BY c.updated_at, c.id
                """, logger: logger)
            return try await Self.conversations(rows)
        }
    }

    static func conversations(_ rows: PostgresRowSequence) async throws -> [Conversation] {
        var result = [Conversation]()
        for try await (rawID, client, rawStatus, metadata, createdAt, updatedAt) in rows.decode(
            (String, String, String, String?, Int64, Int64).self)
        {
            guard let id = ConversationID(rawValue: rawID), let status = ConversationStatus(rawValue: rawStatus) else {
                throw StoreError(.corrupt, "conversation row \(rawID) has an invalid id or status")
            }
            result.append(
                Conversation(
                    id: id, client: client, status: status, metadata: metadata, createdAt: Date(millis: createdAt),
                    updatedAt: Date(millis: updatedAt)))
        }
        return result
    }
}
