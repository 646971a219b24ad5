import Foundation
import Logging
import PostgresNIO
import Store
import SupportCore

/// The body of a group-commit transaction on PostgreSQL, in three statements whatever the batch
/// size: lock the batch's conversations in id order and bump their `last_seq` (so concurrent
/// transactions, from this node or another, take the locks in one order and number a
/// conversation's messages one after the other), insert every message from one JSON array,
/// and announce customer and agent messages with `pg_notify` (delivered at commit).
enum PostgresMessageWriter {
    private struct Row: Encodable {
        var id: String
        var conversation_id: String
        var seq: Int
        var role: String
        var text: String
        var intent: String?
        var confidence: Double?
        var route: String?
        var sources: String?
        var latency_us: Int?
        var created_at: Int64
        var author: String?
    }

    static func insert(
        _ batch: [PostgresAppend], now: Int64, configuration: PostgresStoreConfiguration, connection: PostgresConnection,
        logger: Logger
    ) async throws -> [Result<[StoredMessage], StoreError>] {
        var counts = [String: Int]()
        for append in batch {
            counts[append.conversation.rawValue, default: 0] += append.messages.count
        }
        let ids = counts.keys.sorted()
        let increments = ids.map { counts[$0]! }
        let bumped = try await connection.query(
            """
            WITH locked AS (SELECT id FROM conversations WHERE id = ANY(\(ids)) ORDER BY id FOR UPDATE)
            UPDATE conversations c SET last_seq = c.last_seq + v.n, updated_at = \(now)
            FROM unnest(\(ids)::text[], \(increments)::int8[]) AS v(id, n)
            WHERE c.id = v.id AND c.id IN (SELECT id FROM locked)
            RETURNING c.id, c.last_seq
            """, logger: logger)
        /// The next seq to hand out per conversation found.
        var next = [String: Int]()
        for try await (id, lastSeq) in bumped.decode((String, Int).self) {
            next[id] = lastSeq - counts[id]! + 1
        }
        let createdAt = Date(millis: now)
        var rows = [Row]()
        var announcements = [String]()
        var results = [Result<[StoredMessage], StoreError>]()
        results.reserveCapacity(batch.count)
        for append in batch {
            let conversation = append.conversation.rawValue
            guard let first = next[conversation] else {
                results.append(.failure(StoreError(.notFound, "no conversation \(conversation) to append to")))
                continue
            }
            var stored = [StoredMessage]()
            for (offset, message) in append.messages.enumerated() {
                let row = StoredMessage(
                    id: configuration.messageIDs.makeID(millis: now), conversation: append.conversation,
                    seq: first + offset, role: message.role, text: message.text, intent: message.intent,
                    confidence: message.confidence, route: message.route, sources: message.sources,
                    latencyMicros: message.latencyMicros, createdAt: createdAt, author: message.author)
                rows.append(
                    Row(
                        id: row.id.rawValue, conversation_id: conversation, seq: row.seq, role: row.role.rawValue,
                        text: row.text, intent: row.intent, confidence: row.confidence, route: row.route,
                        sources: row.sources.isEmpty ? nil : JSONText.sources(row.sources), latency_us: row.latencyMicros,
                        created_at: now, author: row.author))
                if Announcement.announces(row.role) {
                    announcements.append(Announcement(origin: configuration.nodeID, message: row).payload())
                }
                stored.append(row)
            }
            next[conversation] = first + append.messages.count
            results.append(.success(stored))
        }
        guard !rows.isEmpty else { return results }
        let json = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        try await connection.query(
            """
            INSERT INTO messages (id, conversation_id, seq, role, text, intent, confidence, route, sources, latency_us,
                created_at, author)
            SELECT id, conversation_id, seq, role, text, intent, confidence, route, sources, latency_us, created_at, author
            FROM jsonb_to_recordset(\(json)::jsonb) AS x(id text, conversation_id text, seq int, role text, text text,
                intent text, confidence float8, route text, sources text, latency_us bigint, created_at bigint, author text)
            """, logger: logger)
        if !announcements.isEmpty {
            try await connection.query(
                "SELECT pg_notify(\(PostgresStore.channel), p) FROM unnest(\(announcements)::text[]) AS p", logger: logger)
        }
        return results
    }
}
