import Foundation
import GRDB
import SupportCore

/// One caller's messages waiting for a group commit.
struct PendingAppend: Sendable {
    var conversation: ConversationID
    var messages: [NewMessage]
}

/// The body of a group-commit transaction: inserts each pending append with the next `seq`
/// numbers of its conversation. An append to a missing conversation fails alone (it is
/// checked before anything is written); any SQLite error aborts the whole transaction.
enum MessageInserter {
    private static let lookupSQL = """
        SELECT (SELECT coalesce(max(seq), 0) FROM messages WHERE conversation_id = ?1)
        FROM conversations WHERE id = ?1
        """
    private static let insertSQL = """
        INSERT INTO messages (id, conversation_id, seq, role, text, intent, confidence, route, sources, latency_us, created_at, author)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    private static let touchSQL = "UPDATE conversations SET updated_at = ? WHERE id = ?"

    /// Inserts every append of `batch` in the current transaction of `db`, stamping them with
    /// `now` and ids minted by `ids`. Returns one result per append, in order.
    static func insert(
        _ batch: [PendingAppend], now: Int64, ids: MessageIDScheme, db: Database
    ) throws -> [Result<[StoredMessage], StoreError>] {
        let lookup = try db.cachedStatement(sql: lookupSQL)
        let insert = try db.cachedStatement(sql: insertSQL)
        let touch = try db.cachedStatement(sql: touchSQL)
        let createdAt = Date(millis: now)
        var results = [Result<[StoredMessage], StoreError>]()
        results.reserveCapacity(batch.count)
        for append in batch {
            let conversation = append.conversation.rawValue
            guard let lastSeq = try Int.fetchOne(lookup, arguments: [conversation]) else {
                results.append(.failure(StoreError(.notFound, "no conversation \(conversation) to append to")))
                continue
            }
            var stored = [StoredMessage]()
            stored.reserveCapacity(append.messages.count)
            for (offset, message) in append.messages.enumerated() {
                let row = StoredMessage(
                    id: ids.makeID(millis: now), conversation: append.conversation, seq: lastSeq + offset + 1,
                    role: message.role, text: message.text, intent: message.intent,
                    confidence: message.confidence, route: message.route, sources: message.sources,
                    latencyMicros: message.latencyMicros, createdAt: createdAt, author: message.author)
                try insert.execute(arguments: [
                    row.id.rawValue, conversation, row.seq, row.role.rawValue, row.text, row.intent,
                    row.confidence, row.route, row.sources.isEmpty ? nil : JSONText.sources(row.sources),
                    row.latencyMicros, now, row.author,
                ])
                stored.append(row)
            }
            try touch.execute(arguments: [now, conversation])
            results.append(.success(stored))
        }
        return results
    }
}
