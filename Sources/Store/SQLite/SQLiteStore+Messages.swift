import Foundation
import GRDB
import SupportCore

extension SQLiteStore {
    public func append(_ messages: [NewMessage], to conversation: ConversationID) async throws -> [StoredMessage] {
        guard !messages.isEmpty else { return [] }
        return try await committer.submit(PendingAppend(conversation: conversation, messages: messages))
    }

    public func messages(conversation: ConversationID) async throws -> [StoredMessage] {
        try await read("read messages") { db in
            try Row.fetchAll(
                db, sql: "SELECT \(StoredMessage.selection) FROM messages m WHERE m.conversation_id = ? ORDER BY m.seq",
                arguments: [conversation.rawValue]
            ).map { try StoredMessage(row: $0) }
        }
    }

    public func message(id: MessageID) async throws -> StoredMessage? {
        try await read("read message") { db in
            try Row.fetchOne(
                db, sql: "SELECT \(StoredMessage.selection) FROM messages m WHERE m.id = ?", arguments: [id.rawValue]
            ).map { try StoredMessage(row: $0) }
        }
    }

    public func conversationOfBotMessage(_ id: MessageID, client: String) async throws -> ConversationID? {
        try await read("find a bot message") { db in
            // Without the message, the conversation lookup still runs, on '' (never an id).
            try String.fetchOne(
                db,
                sql: """
                    SELECT c.id FROM conversations c JOIN clients cl ON cl.id = c.client_id
                    WHERE c.id = coalesce((SELECT m.conversation_id FROM messages m WHERE m.id = ? AND m.role = 'bot'), '')
                      AND cl.name = ?
                    """,
                arguments: [id.rawValue, client]
            ).flatMap(ConversationID.init(rawValue:))
        }
    }

    public func recordFeedback(message: MessageID, rating: Rating, comment: String?) async throws {
        let now = Date().millisSince1970
        try await write("record feedback") { db in
            guard let role = try String.fetchOne(db, sql: "SELECT role FROM messages WHERE id = ?", arguments: [message.rawValue])
            else {
                throw StoreError(.notFound, "no message \(message) to rate")
            }
            guard role == MessageRole.bot.rawValue else {
                throw StoreError(.invalidArgument, "only bot messages can be rated; \(message) is a \(role) message")
            }
            try db.execute(
                sql: """
                    INSERT INTO feedback (message_id, rating, comment, created_at) VALUES (?, ?, ?, ?)
                    ON CONFLICT (message_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment,
                        created_at = excluded.created_at
                    """,
                arguments: [message.rawValue, rating.rawValue, comment, now])
        }
    }

    /// The feedback recorded for a message, if any.
    public func feedback(message: MessageID) async throws -> Feedback? {
        try await read("read feedback") { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT rating, comment, created_at FROM feedback WHERE message_id = ?",
                    arguments: [message.rawValue])
            else { return nil }
            let rawRating: String = try row.decode(atIndex: 0)
            guard let rating = Rating(rawValue: rawRating) else {
                throw StoreError(.corrupt, "feedback of \(message) has an invalid rating")
            }
            return Feedback(
                message: message, rating: rating, comment: try row.decode(atIndex: 1),
                createdAt: Date(millis: try row.decode(atIndex: 2)))
        }
    }
}
