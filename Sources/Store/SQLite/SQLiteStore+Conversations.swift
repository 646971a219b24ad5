import Foundation
import GRDB
import Logging
import SupportCore

extension SQLiteStore {
    public func createConversation(client: String, metadata: String?) async throws -> Conversation {
        try Self.validateClientName(client)
        try StoreValidation.metadata(metadata)
        let now = Date().millisSince1970
        let conversation = Conversation(
            id: .random(), client: client, status: .open, metadata: metadata,
            createdAt: Date(millis: now), updatedAt: Date(millis: now))
        try await write("create conversation") { db in
            try db.execute(
                sql: "INSERT INTO clients (name, role, created_at) VALUES (?, 'customer', ?) ON CONFLICT (name) DO NOTHING",
                arguments: [client, now])
            try db.execute(
                sql: """
                    INSERT INTO conversations (id, client_id, status, metadata, created_at, updated_at)
                    SELECT ?, id, 'open', ?, ?, ? FROM clients WHERE name = ?
                    """,
                arguments: [conversation.id.rawValue, metadata, now, now, client])
        }
        logger.debug("store.conversation.created", metadata: ["conversation.id": "\(conversation.id)"])
        return conversation
    }

    public func conversation(id: ConversationID, client: String?) async throws -> Conversation? {
        try await read("read conversation") { db in
            var sql = "SELECT \(Conversation.selection) FROM \(Conversation.source) WHERE c.id = ?"
            var arguments: StatementArguments = [id.rawValue]
            if let client {
                sql += " AND cl.name = ?"
                arguments += [client]
            }
            return try Row.fetchOne(db, sql: sql, arguments: arguments).map { try Conversation(row: $0) }
        }
    }

    public func setStatus(_ status: ConversationStatus, conversation: ConversationID) async throws -> Bool {
        let now = Date().millisSince1970
        let changed = try await write("set status") { db -> Bool in
            try db.execute(
                sql: "UPDATE conversations SET status = ?, updated_at = ? WHERE id = ?",
                arguments: [status.rawValue, now, conversation.rawValue])
            return db.changesCount > 0
        }
        if changed {
            logger.debug(
                "store.conversation.status", metadata: ["conversation.id": "\(conversation)", "conversation.status": "\(status)"])
        }
        return changed
    }

    public func conversations(status: ConversationStatus) async throws -> [Conversation] {
        try await read("list conversations") { db in
            try Row.fetchAll(
                db,
                sql: "SELECT \(Conversation.selection) FROM \(Conversation.source) WHERE c.status = ? ORDER BY c.updated_at, c.id",
                arguments: [status.rawValue]
            ).map { try Conversation(row: $0) }
        }
    }
}
