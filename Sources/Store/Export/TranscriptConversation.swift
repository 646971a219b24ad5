import Foundation
import GRDB

/// A conversation as an export writes it: raw column values, no JSON decoding.
package struct TranscriptConversation {
    package var id: String
    package var client: String
    package var status: String
    /// The metadata JSON object as stored (validated on insert), or nil.
    package var metadata: String?
    package var createdAt: Int64
    package var updatedAt: Int64

    package init(id: String, client: String, status: String, metadata: String?, createdAt: Int64, updatedAt: Int64) {
        self.id = id
        self.client = client
        self.status = status
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// The columns of `TranscriptExporter`'s conversation query, in order (`c` joined to `cl`).
    static let selection = "c.id, cl.name, c.status, c.metadata, c.created_at, c.updated_at"

    /// Decodes a row of `selection`.
    init(row: Row) throws {
        id = try row.decode(atIndex: 0)
        client = try row.decode(atIndex: 1)
        status = try row.decode(atIndex: 2)
        metadata = try row.decode(atIndex: 3)
        createdAt = try row.decode(atIndex: 4)
        updatedAt = try row.decode(atIndex: 5)
    }
}
