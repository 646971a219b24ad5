import Foundation
import Logging
import PostgresNIO
import Store
import SupportCore

extension PostgresStore {
    /// Streams the selected transcripts off one query (rows arrive with backpressure, so memory
    /// stays flat) inside a read-only repeatable-read transaction, a consistent snapshot.
    public func exportTranscripts(_ request: ExportRequest, to sink: some TranscriptSink) async throws -> ExportSummary {
        let logger = self.logger
        return try await withConnection("export") { connection in
            try await connection.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger)
            do {
                try await Self.checkSelectionExists(request.selection, connection: connection, logger: logger)
                var writer = TranscriptWriter(request) { chunk in try sink.write(chunk) }
                let rows = try await connection.query(Self.exportQuery(request), logger: logger)
                var current: String?
                for try await row in rows {
                    let cells = row.makeRandomAccess()
                    let conversation = try cells[0].decode(String.self)
                    if conversation != current {
                        current = conversation
                        try writer.conversation(
                            TranscriptConversation(
                                id: conversation, client: try cells[1].decode(String.self),
                                status: try cells[2].decode(String.self), metadata: try cells[3].decode(String?.self),
                                createdAt: try cells[4].decode(Int64.self), updatedAt: try cells[5].decode(Int64.self)))
                    }
                    guard let messageID = try cells[6].decode(String?.self) else { continue }
                    try writer.message(
                        TranscriptMessage(
                            id: messageID, conversation: conversation, seq: try cells[7].decode(Int.self),
                            role: try cells[8].decode(String.self), text: try cells[9].decode(String.self),
                            intent: try cells[10].decode(String?.self), confidence: try cells[11].decode(Double?.self),
                            route: try cells[12].decode(String?.self), sources: try cells[13].decode(String?.self),
                            createdAt: try cells[14].decode(Int64.self)))
                }
                let summary = try writer.finish()
                try await connection.query("COMMIT", logger: logger)
                return summary
            } catch {
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    private static func checkSelectionExists(
        _ selection: ExportSelection, connection: PostgresConnection, logger: Logger
    ) async throws {
        let rows: PostgresRowSequence
        switch selection {
        case .all:
            return
        case .conversation(let id):
            rows = try await connection.query("SELECT 1 FROM conversations WHERE id = \(id.rawValue)", logger: logger)
            for try await _ in rows { return }
            throw StoreError(.notFound, "no conversation \(id)")
        case .client(let name):
            rows = try await connection.query("SELECT 1 FROM clients WHERE name = \(name)", logger: logger)
            for try await _ in rows { return }
            throw StoreError(.notFound, "no client named \(name)")
        }
    }

    /// Conversations in creation order, each followed by its messages in `seq` order. Without a
    /// time window a conversation without messages still appears (one row of NULL message
    /// columns); with one, only conversations with messages in it.
    static func exportQuery(_ request: ExportRequest) -> PostgresQuery {
        var bindings = PostgresBindings()
        var window = ""
        if let since = request.since {
            bindings.append(since.millisSince1970)
            window += " AND m.created_at >= $\(bindings.count)"
        }
        if let until = request.until {
            bindings.append(until.millisSince1970)
            window += " AND m.created_at < $\(bindings.count)"
        }
        let join = window.isEmpty ? "LEFT JOIN" : "JOIN"
        var filter = ""
        switch request.selection {
        case .all:
            break
        case .conversation(let id):
            bindings.append(id.rawValue)
            filter = "WHERE c.id = $\(bindings.count)"
        case .client(let name):
            bindings.append(name)
            filter = "WHERE cl.name = $\(bindings.count)"
        }
        let sql = """
            SELECT c.id, cl.name, c.status, c.metadata, c.created_at, c.updated_at,
                m.id, m.seq, m.role, m.text, m.intent, m.confidence, m.route, m.sources, m.created_at
            FROM conversations c JOIN clients cl ON cl.id = c.client_id
            \(join) messages m ON m.conversation_id = c.id\(window)
            \(filter)
            ORDER BY c.created_at, c.id, m.seq
            """
        return PostgresQuery(unsafeSQL: sql, binds: bindings)
    }
}
