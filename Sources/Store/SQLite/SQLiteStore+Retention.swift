import Foundation
import GRDB
import Logging
import SupportCore

/// What a retention purge deleted.
public struct PurgeSummary: Sendable, Hashable {
    public var conversations: Int
    public var messages: Int
    public var feedback: Int
    /// Transactions the purge took (one per batch).
    public var batches: Int

    public init(conversations: Int = 0, messages: Int = 0, feedback: Int = 0, batches: Int = 0) {
        self.conversations = conversations
        self.messages = messages
        self.feedback = feedback
        self.batches = batches
    }
}

extension PurgeSummary {
    /// Runs `batch` (one transaction deleting at most `batchSize` conversations) until one
    /// deletes fewer, adds up what they deleted and logs the total: the purge loop of every
    /// store backend. Throws `invalid_argument` for a batch size outside 1...10,000.
    package static func inBatches(
        of batchSize: Int, logger: Logger, _ batch: () async throws -> PurgeSummary
    ) async throws -> PurgeSummary {
        guard (1...10_000).contains(batchSize) else {
            throw StoreError(.invalidArgument, "purge batch size must be 1...10000, not \(batchSize)")
        }
        var summary = PurgeSummary()
        while true {
            let deleted = try await batch()
            summary.conversations += deleted.conversations
            summary.messages += deleted.messages
            summary.feedback += deleted.feedback
            summary.batches += deleted.batches
            if deleted.conversations < batchSize { break }
        }
        logger.info(
            "store.purged",
            metadata: [
                "purge.conversations": "\(summary.conversations)", "purge.messages": "\(summary.messages)",
                "purge.batches": "\(summary.batches)",
            ])
        return summary
    }
}

extension SQLiteStore {
    /// Deletes ended conversations whose last activity is before `cutoff`, with their messages
    /// and feedback, `batchSize` conversations per transaction so that live appends wait at
    /// most one batch. Open and handed-off conversations are never purged.
    public func purge(olderThan cutoff: Date, batchSize: Int = 500) async throws -> PurgeSummary {
        let cutoffMillis = cutoff.millisSince1970
        return try await PurgeSummary.inBatches(of: batchSize, logger: logger) {
            try await write("purge") { db -> PurgeSummary in
                let ids = try String.fetchAll(
                    db,
                    sql: """
                        SELECT id FROM conversations WHERE status = 'ended' AND updated_at < ?
                        ORDER BY updated_at LIMIT ?
                        """,
                    arguments: [cutoffMillis, batchSize])
                guard !ids.isEmpty else { return PurgeSummary() }
                let placeholders = Array(repeating: "?", count: ids.count).joined(separator: ",")
                let arguments = StatementArguments(ids)
                var deleted = PurgeSummary(batches: 1)
                try db.execute(
                    sql: """
                        DELETE FROM feedback WHERE message_id IN
                            (SELECT id FROM messages WHERE conversation_id IN (\(placeholders)))
                        """,
                    arguments: arguments)
                deleted.feedback = db.changesCount
                try db.execute(sql: "DELETE FROM messages WHERE conversation_id IN (\(placeholders))", arguments: arguments)
                deleted.messages = db.changesCount
                try db.execute(sql: "DELETE FROM conversations WHERE id IN (\(placeholders))", arguments: arguments)
                deleted.conversations = db.changesCount
                return deleted
            }
        }
    }
}
