import Foundation
import GRDB
import SupportCore

extension SQLiteStore {
    /// Folds the bot replies `reportTurns(since:until:)` returns into `initial`, one at a time,
    /// off a database cursor inside one read transaction (a consistent snapshot), so a report
    /// over a large store needs memory only for what `update` keeps.
    public func reduceReportTurns<Result: Sendable>(
        since: Date? = nil, until: Date? = nil, into initial: Result,
        _ update: @escaping @Sendable (inout Result, ReportTurn) throws -> Void
    ) async throws -> Result {
        let (sql, arguments) = Self.reportQuery(since: since, until: until)
        return try await read("read report turns") { db in
            var result = initial
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try cursor.next() {
                try update(&result, try ReportTurn(reportRow: row))
            }
            return result
        }
    }

    /// `ReportTurn.querySQL` with the time window bound as SQLite arguments.
    static func reportQuery(since: Date?, until: Date?) -> (String, StatementArguments) {
        var sql = ReportTurn.querySQL
        var arguments = StatementArguments()
        if let since {
            sql += " AND b.created_at >= ?"
            arguments += [since.millisSince1970]
        }
        if let until {
            sql += " AND b.created_at < ?"
            arguments += [until.millisSince1970]
        }
        sql += ReportTurn.orderSQL
        return (sql, arguments)
    }
}

extension ReportTurn {
    /// Decodes a row of `SQLiteStore.reportQuery`. Throws `corrupt` for values the schema's
    /// checks should have kept out.
    init(reportRow row: Row) throws {
        let rawID: String = try row.decode(atIndex: 0)
        let rawConversation: String = try row.decode(atIndex: 1)
        let rawStatus: String = try row.decode(atIndex: 9)
        guard let id = MessageID(rawValue: rawID), let conversation = ConversationID(rawValue: rawConversation),
            let status = ConversationStatus(rawValue: rawStatus)
        else {
            throw StoreError(.corrupt, "message row \(rawID) has an invalid id, conversation or conversation status")
        }
        let sourcesText: String? = try row.decode(atIndex: 7)
        let sources: [SourceRef]
        do {
            sources = try JSONText.decodeSources(sourcesText)
        } catch {
            throw StoreError(.corrupt, "message \(rawID) has unreadable sources JSON")
        }
        var feedback: Feedback?
        let rawRating: String? = try row.decode(atIndex: 11)
        if let rawRating {
            guard let rating = Rating(rawValue: rawRating) else {
                throw StoreError(.corrupt, "feedback of \(rawID) has an invalid rating")
            }
            feedback = Feedback(
                message: id, rating: rating, comment: try row.decode(atIndex: 12),
                createdAt: Date(millis: try row.decode(atIndex: 13)))
        }
        self.init(
            conversation: conversation, conversationStatus: status, message: id, seq: try row.decode(atIndex: 2),
            question: try row.decode(atIndex: 10), answer: try row.decode(atIndex: 3), route: try row.decode(atIndex: 4),
            intent: try row.decode(atIndex: 5), confidence: try row.decode(atIndex: 6), sources: sources.map(\.id),
            createdAt: Date(millis: try row.decode(atIndex: 8)), feedback: feedback)
    }
}
