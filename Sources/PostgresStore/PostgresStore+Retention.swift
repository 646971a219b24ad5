import Foundation
import Logging
import PostgresNIO
import Store
import SupportCore

extension PostgresStore {
    /// Deletes ended conversations older than `cutoff` in transactions of `batchSize`
    /// conversations. Rows another node is writing are skipped (`SKIP LOCKED`) and picked up by
    /// the next purge, so a purge never waits on live traffic.
    public func purge(olderThan cutoff: Date, batchSize: Int = 500) async throws -> PurgeSummary {
        let cutoffMillis = cutoff.millisSince1970
        let logger = self.logger
        return try await PurgeSummary.inBatches(of: batchSize, logger: logger) {
            try await withTransaction("purge") { connection -> PurgeSummary in
                var ids = [String]()
                let doomed = try await connection.query(
                    """
                    SELECT id FROM conversations WHERE status = 'ended' AND updated_at < \(cutoffMillis)
                    ORDER BY updated_at LIMIT \(batchSize) FOR UPDATE SKIP LOCKED
                    """, logger: logger)
                for try await id in doomed.decode(String.self) { ids.append(id) }
                guard !ids.isEmpty else { return PurgeSummary() }
                var deleted = PurgeSummary(batches: 1)
                deleted.feedback = try await Self.count(
                    connection,
                    """
                    WITH d AS (DELETE FROM feedback WHERE message_id IN
                        (SELECT id FROM messages WHERE conversation_id = ANY(\(ids))) RETURNING 1)
                    SELECT count(*) FROM d
                    """, logger: logger)
                deleted.messages = try await Self.count(
                    connection,
                    "WITH d AS (DELETE FROM messages WHERE conversation_id = ANY(\(ids)) RETURNING 1) SELECT count(*) FROM d",
                    logger: logger)
                deleted.conversations = try await Self.count(
                    connection, "WITH d AS (DELETE FROM conversations WHERE id = ANY(\(ids)) RETURNING 1) SELECT count(*) FROM d",
                    logger: logger)
                return deleted
            }
        }
    }

    private static func count(
        _ connection: PostgresConnection, _ query: PostgresQuery, logger: Logger
    ) async throws -> Int {
        var count = 0
        for try await value in try await connection.query(query, logger: logger).decode(Int.self) { count = value }
        return count
    }
}
