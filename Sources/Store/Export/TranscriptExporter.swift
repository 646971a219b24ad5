import Foundation
import GRDB
import SupportCore

/// Streams transcripts out of the store in JSON, JSON Lines, Markdown or CSV. Rows come from a
/// database cursor inside one read transaction (a consistent snapshot) and leave in chunks of
/// about 64 KiB, so memory stays flat however large the export.
public struct TranscriptExporter: Sendable {
    let reader: any DatabaseReader
    let path: String?

    /// Writes the transcripts `request` selects to `sink`. Throws `notFound` when the selected
    /// conversation or client does not exist, `io` when the sink fails.
    public func export(_ request: ExportRequest, to sink: some TranscriptSink) async throws -> ExportSummary {
        do {
            return try await reader.read { db in
                try Self.export(request, db: db) { chunk in try sink.write(chunk) }
            }
        } catch {
            throw StoreError.wrapping(error, operation: "export", path: path)
        }
    }

    /// The whole export as one string (for the protocol's `export` of one conversation).
    public func exportString(_ request: ExportRequest) async throws -> String {
        do {
            return try await reader.read { db in
                var output = [UInt8]()
                _ = try Self.export(request, db: db) { chunk in output.append(contentsOf: chunk) }
                return String(decoding: output, as: UTF8.self)
            }
        } catch {
            throw StoreError.wrapping(error, operation: "export", path: path)
        }
    }

    private static func export(
        _ request: ExportRequest, db: Database, emit: @escaping ([UInt8]) throws -> Void
    ) throws -> ExportSummary {
        try checkSelectionExists(request.selection, db: db)
        let (conversationSQL, conversationArguments) = conversationQuery(request.selection)
        let (messageSQL, window) = messageQuery(since: request.since, until: request.until)
        let messages = try db.cachedStatement(sql: messageSQL)
        var writer = TranscriptWriter(request, emit: emit)
        let conversations = try Row.fetchCursor(db, sql: conversationSQL, arguments: conversationArguments)
        while let row = try conversations.next() {
            let conversation = try TranscriptConversation(row: row)
            try writer.conversation(conversation)
            let cursor = try Row.fetchCursor(messages, arguments: StatementArguments([conversation.id] + window))
            while let messageRow = try cursor.next() {
                try writer.message(try TranscriptMessage(row: messageRow, conversation: conversation.id))
            }
        }
        return try writer.finish()
    }

    private static func checkSelectionExists(_ selection: ExportSelection, db: Database) throws {
        switch selection {
        case .all:
            return
        case .conversation(let id):
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM conversations WHERE id = ?", arguments: [id.rawValue]) != nil
            else {
                throw StoreError(.notFound, "no conversation \(id)")
            }
        case .client(let name):
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM clients WHERE name = ?", arguments: [name]) != nil else {
                throw StoreError(.notFound, "no client named \(name)")
            }
        }
    }

    /// The selected conversations in creation order (served by the creation and client indexes).
    static func conversationQuery(_ selection: ExportSelection) -> (String, StatementArguments) {
        let base = "SELECT \(TranscriptConversation.selection) FROM conversations c JOIN clients cl ON cl.id = c.client_id"
        let order = "ORDER BY c.created_at, c.id"
        switch selection {
        case .all:
            return ("\(base) \(order)", [])
        case .conversation(let id):
            return ("\(base) WHERE c.id = ? \(order)", [id.rawValue])
        case .client(let name):
            return ("\(base) WHERE cl.name = ? \(order)", [name])
        }
    }

    /// One conversation's messages in `seq` order (read straight off the (conversation, seq)
    /// index, no sorting), within the optional time window; returns the window's arguments.
    static func messageQuery(since: Date?, until: Date?) -> (String, [any DatabaseValueConvertible]) {
        var sql = "SELECT \(TranscriptMessage.selection) FROM messages WHERE conversation_id = ?"
        var window = [any DatabaseValueConvertible]()
        if let since {
            sql += " AND created_at >= ?"
            window.append(since.millisSince1970)
        }
        if let until {
            sql += " AND created_at < ?"
            window.append(until.millisSince1970)
        }
        return (sql + " ORDER BY seq", window)
    }
}
