import Foundation
import GRDB
import SupportCore

extension Conversation {
    /// The conversation columns, in the order `init(row:offset:)` reads them, for table alias
    /// `c` joined to `clients` as `cl`.
    static let selection = "c.id, cl.name, c.status, c.metadata, c.created_at, c.updated_at"
    /// How many columns `selection` has.
    static let selectionWidth = 6
    /// The FROM clause `selection` expects.
    static let source = "conversations c JOIN clients cl ON cl.id = c.client_id"

    /// Decodes a conversation from `row`, starting at column `offset`.
    init(row: Row, offset: Int = 0) throws {
        let rawID: String = try row.decode(atIndex: offset)
        let rawStatus: String = try row.decode(atIndex: offset + 2)
        guard let id = ConversationID(rawValue: rawID), let status = ConversationStatus(rawValue: rawStatus) else {
            throw StoreError(.corrupt, "conversation row \(rawID) has an invalid id or status")
        }
        self.init(
            id: id,
            client: try row.decode(atIndex: offset + 1),
            status: status,
            metadata: try row.decode(atIndex: offset + 3),
            createdAt: Date(millis: try row.decode(atIndex: offset + 4)),
            updatedAt: Date(millis: try row.decode(atIndex: offset + 5))
        )
    }
}
