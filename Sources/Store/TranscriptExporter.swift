import Foundation
import GRDB

/// Streams transcripts out of the store in JSON, JSON Lines, Markdown or CSV. Rows come from a
/// database cursor inside one read transaction (a consistent snapshot) and leave in chunks of
/// about 64 KiB, so memory stays flat however large the export.
public struct TranscriptExporter: Sendable {
    /// Size at which the buffered output is handed to the sink.
    static let chunkSize = 64 * 1024

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
        _ request: ExportRequest, db: Database, emit: ([UInt8]) throws -> Void
    ) throws -> ExportSummary {
        try checkSelectionExists(request.selection, db: db)
        let (sql, arguments) = query(request)
        let redactor = request.redact ? Redactor() : nil
        var formatter = request.format.makeFormatter()
        var summary = ExportSummary()
        var out = [UInt8]()
        out.reserveCapacity(chunkSize + 16 * 1024)
        formatter.begin(into: &out)
        var current: String?
        let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try cursor.next() {
            let conversationID: String = try row.decode(atIndex: 0)
            if conversationID != current {
                if current != nil {
                    formatter.endConversation(into: &out)
                }
                current = conversationID
                summary.conversations += 1
                formatter.beginConversation(try TranscriptConversation(row: row), redact: request.redact, into: &out)
            }
            if var message = try TranscriptMessage(row: row, conversation: conversationID) {
                if let redactor {
                    message.text = redactor.redact(message.text)
                }
                formatter.message(message, into: &out)
                summary.messages += 1
            }
            if out.count >= chunkSize {
                try emit(out)
                summary.bytes += out.count
                out.removeAll(keepingCapacity: true)
            }
        }
        if current != nil {
            formatter.endConversation(into: &out)
        }
        formatter.end(into: &out)
        if !out.isEmpty {
            try emit(out)
            summary.bytes += out.count
        }
        return summary
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

    /// The export query: conversations in creation order joined with their messages in `seq`
    /// order (a LEFT JOIN without a time window, so empty conversations still appear).
    static func query(_ request: ExportRequest) -> (String, StatementArguments) {
        var arguments = StatementArguments()
        var join = "LEFT JOIN messages m ON m.conversation_id = c.id"
        if request.since != nil || request.until != nil {
            join = "JOIN messages m ON m.conversation_id = c.id"
        }
        if let since = request.since {
            join += " AND m.created_at >= ?"
            arguments += [since.millisSince1970]
        }
        if let until = request.until {
            join += " AND m.created_at < ?"
            arguments += [until.millisSince1970]
        }
        var filter = ""
        switch request.selection {
        case .all:
            break
        case .conversation(let id):
            filter = "WHERE c.id = ?"
            arguments += [id.rawValue]
        case .client(let name):
            filter = "WHERE cl.name = ?"
            arguments += [name]
        }
        let sql = """
            SELECT c.id, cl.name, c.status, c.metadata, c.created_at, c.updated_at,
                   m.id, m.seq, m.role, m.text, m.intent, m.confidence, m.route, m.sources, m.created_at
            FROM conversations c JOIN clients cl ON cl.id = c.client_id
            \(join)
            \(filter)
            ORDER BY c.created_at, c.id, m.seq
            """
        return (sql, arguments)
    }
}
