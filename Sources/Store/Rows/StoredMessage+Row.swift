import Foundation
import GRDB
import SupportCore

extension StoredMessage {
    /// The message columns, in the order `init(row:offset:)` reads them, for table alias `m`.
    static let selection =
        "m.id, m.conversation_id, m.seq, m.role, m.text, m.intent, m.confidence, m.route, m.sources, m.latency_us, m.created_at, m.author"
    /// How many columns `selection` has.
    static let selectionWidth = 12

    /// Decodes a message from `row`, starting at column `offset`. Throws `corrupt` for values
    /// the schema's checks should have kept out.
    init(row: Row, offset: Int = 0) throws {
        let rawID: String = try row.decode(atIndex: offset)
        let rawConversation: String = try row.decode(atIndex: offset + 1)
        let rawRole: String = try row.decode(atIndex: offset + 3)
        guard let id = MessageID(rawValue: rawID), let conversation = ConversationID(rawValue: rawConversation),
            let role = MessageRole(rawValue: rawRole)
        else {
            throw StoreError(.corrupt, "message row \(rawID) has an invalid id, conversation or role")
        }
        let sourcesText: String? = try row.decode(atIndex: offset + 8)
        let sources: [SourceRef]
        do {
            sources = try JSONText.decodeSources(sourcesText)
        } catch {
            throw StoreError(.corrupt, "message \(rawID) has unreadable sources JSON")
        }
        self.init(
            id: id,
            conversation: conversation,
            seq: try row.decode(atIndex: offset + 2),
            role: role,
            text: try row.decode(atIndex: offset + 4),
            intent: try row.decode(atIndex: offset + 5),
            confidence: try row.decode(atIndex: offset + 6),
            route: try row.decode(atIndex: offset + 7),
            sources: sources,
            latencyMicros: try row.decode(atIndex: offset + 9),
            createdAt: Date(millis: try row.decode(atIndex: offset + 10)),
            author: try row.decode(atIndex: offset + 11)
        )
    }
}
