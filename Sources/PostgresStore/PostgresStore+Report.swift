import Foundation
import PostgresNIO
import Store
import SupportCore

extension PostgresStore {
    /// Folds every bot reply created in `since ..< until` into `initial`, off one streamed query
    /// (a consistent snapshot), oldest first. Same rows as the SQLite store's report query.
    public func reduceReportTurns<Result: Sendable>(
        since: Date? = nil, until: Date? = nil, into initial: Result,
        _ update: @escaping @Sendable (inout Result, ReportTurn) throws -> Void
    ) async throws -> Result {
        let logger = self.logger
        let query = Self.reportQuery(since: since, until: until)
        return try await withConnection("read report turns") { connection in
            var result = initial
            for try await row in try await connection.query(query, logger: logger) {
                try update(&result, try Self.reportTurn(row.makeRandomAccess()))
            }
            return result
        }
    }

    private static func reportQuery(since: Date?, until: Date?) -> PostgresQuery {
        var bindings = PostgresBindings()
        var sql = ReportTurn.querySQL
        if let since {
            bindings.append(since.millisSince1970)
            sql += " AND b.created_at >= $\(bindings.count)"
        }
        if let until {
            bindings.append(until.millisSince1970)
            sql += " AND b.created_at < $\(bindings.count)"
        }
        sql += ReportTurn.orderSQL
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }

    private static func reportTurn(_ cells: PostgresRandomAccessRow) throws -> ReportTurn {
        let rawID = try cells[0].decode(String.self)
        guard let id = MessageID(rawValue: rawID),
            let conversation = ConversationID(rawValue: try cells[1].decode(String.self)),
            let status = ConversationStatus(rawValue: try cells[9].decode(String.self))
        else {
            throw StoreError(.corrupt, "message row \(rawID) has an invalid id, conversation or conversation status")
        }
        let sources: [SourceRef]
        do {
            sources = try JSONText.decodeSources(try cells[7].decode(String?.self))
        } catch {
            throw StoreError(.corrupt, "message \(rawID) has unreadable sources JSON")
        }
        var feedback: Feedback?
        if let rawRating = try cells[11].decode(String?.self) {
            guard let rating = Rating(rawValue: rawRating) else {
                throw StoreError(.corrupt, "feedback of \(rawID) has an invalid rating")
            }
            feedback = Feedback(
                message: id, rating: rating, comment: try cells[12].decode(String?.self),
                createdAt: Date(millis: try cells[13].decode(Int64.self)))
        }
        return ReportTurn(
            conversation: conversation, conversationStatus: status, message: id, seq: try cells[2].decode(Int.self),
            question: try cells[10].decode(String?.self), answer: try cells[3].decode(String.self),
            route: try cells[4].decode(String?.self), intent: try cells[5].decode(String?.self),
            confidence: try cells[6].decode(Double?.self), sources: sources.map(\.id),
            createdAt: Date(millis: try cells[8].decode(Int64.self)), feedback: feedback)
    }
}
