import Foundation
import SupportCore

/// The payload of one `NOTIFY` on `PostgresStore.channel`: a change as compact JSON. PostgreSQL
/// caps a payload at 8,000 bytes, so a long message is announced without its text (`t`
/// missing) and listeners read it from the table.
struct Announcement: Codable, Sendable {
    /// The originating node.
    var o: String
    /// The conversation.
    var c: String
    /// A new status, for status changes.
    var s: String?
    /// A new message, for appends.
    var m: AnnouncedMessage?

    struct AnnouncedMessage: Codable, Sendable {
        var id: String
        var seq: Int
        var role: String
        var t: String?
        var author: String?
        var at: Int64
    }

    /// Payloads longer than this leave the text out (PostgreSQL's limit is 8,000 bytes).
    static let maximumPayload = 7_900

    init(origin: String, conversation: ConversationID, status: ConversationStatus) {
        o = origin
        c = conversation.rawValue
        s = status.rawValue
    }

    init(origin: String, message: StoredMessage) {
        o = origin
        c = message.conversation.rawValue
        m = AnnouncedMessage(
            id: message.id.rawValue, seq: message.seq, role: message.role.rawValue, t: message.text, author: message.author,
            at: message.createdAt.millisSince1970)
    }

    /// The JSON payload, without the message text when it would be too long.
    func payload() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        if let data = try? encoder.encode(self), data.count <= Self.maximumPayload {
            return String(decoding: data, as: UTF8.self)
        }
        var short = self
        short.m?.t = nil
        let data = (try? encoder.encode(short)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// Whether a message of `role` is announced: what customers and agents write. Bot replies
    /// are only ever read back (`history`), never pushed.
    static func announces(_ role: MessageRole) -> Bool {
        role == .user || role == .agent
    }
}
