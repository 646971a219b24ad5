import Foundation
import PostgresNIO
import Store
import SupportCore

extension PostgresStore {
    public func append(_ messages: [NewMessage], to conversation: ConversationID) async throws -> [StoredMessage] {
        guard !messages.isEmpty else { return [] }
        return try await committer.submit(PostgresAppend(conversation: conversation, messages: messages))
    }

    /// The message columns `storedMessages(_:)` decodes, for table alias `m`.
    static let messageColumns =
        "m.id, m.conversation_id, m.seq, m.role, m.text, m.intent, m.confidence, m.route, m.sources, m.latency_us, m.created_at, m.author"

    public func messages(conversation: ConversationID) async throws -> [StoredMessage] {
        let logger = self.logger
        return try await withConnection("read messages") { connection in
            let rows = try await connection.query(
                """
                SELECT \(unescaped: Self.messageColumns) FROM messages m WHERE m.conversation_id = \(conversation.rawValue)
                ORDER BY m.seq
                """, logger: logger)
            return try await Self.storedMessages(rows)
        }
    }

    public func message(id: MessageID) async throws -> StoredMessage? {
        let logger = self.logger
        return try await withConnection("read message") { connection in
            try await Self.message(id: id, connection: connection, logger: logger)
        }
    }

    static func message(id: MessageID, connection: PostgresConnection, logger: Logger) async throws -> StoredMessage? {
        let rows = try await connection.query(
            "SELECT \(unescaped: messageColumns) FROM messages m WHERE m.id = \(id.rawValue)", logger: logger)
        return try await storedMessages(rows).first
    }

    public func conversationOfBotMessage(_ id: MessageID, client: String) async throws -> ConversationID? {
        let logger = self.logger
        return try await withConnection("find a bot message") { connection in
            // Without the message, the conversation lookup still runs, on '' (never an id).
            let rows = try await connection.query(
                """
                SELECT c.id FROM conversations c JOIN clients cl ON cl.id = c.client_id
                WHERE c.id = coalesce((SELECT m.conversation_id FROM messages m WHERE m.id = \(id.rawValue) AND m.role = 'bot'), '')
                  AND cl.name = \(client)
                """, logger: logger)
            for try await row in rows {
                return ConversationID(rawValue: try row.decode(String.self))
            }
            return nil
        }
    }

    public func recordFeedback(message: MessageID, rating: Rating, comment: String?) async throws {
        let now = Date().millisSince1970
        let logger = self.logger
        try await withTransaction("record feedback") { connection in
            let rows = try await connection.query("SELECT role FROM messages WHERE id = \(message.rawValue)", logger: logger)
            var role: String?
            for try await value in rows.decode(String.self) { role = value }
            guard let role else { throw StoreError(.notFound, "no message \(message) to rate") }
            guard role == MessageRole.bot.rawValue else {
                throw StoreError(.invalidArgument, "only bot messages can be rated; \(message) is a \(role) message")
            }
            try await connection.query(
                """
                INSERT INTO feedback (message_id, rating, comment, created_at)
                VALUES (\(message.rawValue), \(rating.rawValue), \(comment), \(now))
                ON CONFLICT (message_id) DO UPDATE SET rating = excluded.rating, comment = excluded.comment,
                    created_at = excluded.created_at
                """, logger: logger)
        }
    }

    /// The feedback recorded for a message, if any.
    public func feedback(message: MessageID) async throws -> Feedback? {
        let logger = self.logger
        return try await withConnection("read feedback") { connection in
            let rows = try await connection.query(
                "SELECT rating, comment, created_at FROM feedback WHERE message_id = \(message.rawValue)", logger: logger)
            var result: Feedback?
            for try await (rawRating, comment, createdAt) in rows.decode((String, String?, Int64).self) {
                guard let rating = Rating(rawValue: rawRating) else {
                    throw StoreError(.corrupt, "feedback of \(message) has an invalid rating")
                }
                result = Feedback(message: message, rating: rating, comment: comment, createdAt: Date(millis: createdAt))
            }
            return result
        }
    }

    public func export(
        conversation: ConversationID, format: ExportFormat, redact: Bool, guardFormulas: Bool
    ) async throws -> String {
        try await exportString(
            ExportRequest(
                selection: .conversation(conversation), format: format, redact: redact, guardFormulas: guardFormulas))
    }

    static func storedMessages(_ rows: PostgresRowSequence) async throws -> [StoredMessage] {
        var result = [StoredMessage]()
        for try await row in rows {
            let cells = row.makeRandomAccess()
            let rawID = try cells[0].decode(String.self)
            guard let id = MessageID(rawValue: rawID),
                let conversation = ConversationID(rawValue: try cells[1].decode(String.self)),
                let role = MessageRole(rawValue: try cells[3].decode(String.self))
            else {
                throw StoreError(.corrupt, "message row \(rawID) has an invalid id, conversation or role")
            }
            let sources: [SourceRef]
            do {
                sources = try JSONText.decodeSources(try cells[8].decode(String?.self))
            } catch {
                throw StoreError(.corrupt, "message \(rawID) has unreadable sources JSON")
            }
            result.append(
                StoredMessage(
                    id: id, conversation: conversation, seq: try cells[2].decode(Int.self), role: role,
                    text: try cells[4].decode(String.self), intent: try cells[5].decode(String?.self),
                    confidence: try cells[6].decode(Double?.self), route: try cells[7].decode(String?.self),
                    sources: sources, latencyMicros: try cells[9].decode(Int?.self),
                    createdAt: Date(millis: try cells[10].decode(Int64.self)), author: try cells[11].decode(String?.self)))
        }
        return result
    }
}
