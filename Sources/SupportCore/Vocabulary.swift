import Foundation

/// A random 128-bit identifier as 32 lowercase hex digits. Conversation and message ids are
/// never sequential, so one client cannot guess another's.
public struct RecordID: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public var rawValue: String

    public init?(rawValue: String) {
        guard rawValue.count == 32, rawValue.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            return nil
        }
        self.rawValue = rawValue
    }

    /// A fresh id from the system's secure random generator.
    public static func random() -> RecordID {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        let hex = String(high, radix: 16).leftPadded(to: 16) + String(low, radix: 16).leftPadded(to: 16)
        return RecordID(rawValue: hex)!
    }

    public var description: String { rawValue }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

public typealias ConversationID = RecordID
public typealias MessageID = RecordID

/// Lifecycle of a conversation.
public enum ConversationStatus: String, Sendable, Hashable, Codable, CaseIterable {
    case open, handoff, ended
}

/// Who wrote a message.
public enum MessageRole: String, Sendable, Hashable, Codable, CaseIterable {
    case user, bot, agent, system
}

/// What a token lets its holder do: customers chat, agents also work the handoff queue, admins
/// read the analytics (`/admin`) and nothing else.
public enum ClientRole: String, Sendable, Hashable, Codable, CaseIterable {
    case customer, agent, admin
}

/// A customer's rating of a bot message.
public enum Rating: String, Sendable, Hashable, Codable, CaseIterable {
    case up, down
}

/// A FAQ entry an answer was built from, as stored with the message and sent on the wire.
public struct SourceRef: Sendable, Hashable, Codable {
    public var id: String
    public var title: String
    public var file: String
    public var score: Double
    /// The entry's `url` (content.md), for clients that link a cited source; nil when it has none.
    public var url: String?

    public init(id: String, title: String, file: String, score: Double, url: String? = nil) {
        self.id = id
        self.title = title
        self.file = file
        self.score = score
        self.url = url
    }
}

/// A named client (one token each). `local` is the tokenless client of loopback servers.
public struct Client: Sendable, Hashable, Codable {
    public var name: String
    public var role: ClientRole
    public var createdAt: Date
    public var revoked: Bool

    public init(name: String, role: ClientRole, createdAt: Date, revoked: Bool = false) {
        self.name = name
        self.role = role
        self.createdAt = createdAt
        self.revoked = revoked
    }
}

/// A conversation between one client and the bot (and possibly an agent).
public struct Conversation: Sendable, Hashable, Codable {
    public var id: ConversationID
    public var client: String
    public var status: ConversationStatus
    /// The client's metadata object as JSON text, if any.
    public var metadata: String?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: ConversationID, client: String, status: ConversationStatus, metadata: String?,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.client = client
        self.status = status
        self.metadata = metadata
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// A message to be appended; the store assigns id, seq and timestamp.
public struct NewMessage: Sendable, Hashable {
    public var role: MessageRole
    public var text: String
    public var intent: String?
    public var confidence: Double?
    public var route: String?
    public var sources: [SourceRef]
    /// Time the assistant took to produce this message, in microseconds.
    public var latencyMicros: Int?
    /// Who wrote it, for people's messages: the agent's client name. Nil for the bot.
    public var author: String?

    public init(
        role: MessageRole, text: String, intent: String? = nil, confidence: Double? = nil,
        route: String? = nil, sources: [SourceRef] = [], latencyMicros: Int? = nil, author: String? = nil
    ) {
        self.author = author
        self.role = role
        self.text = text
        self.intent = intent
        self.confidence = confidence
        self.route = route
        self.sources = sources
        self.latencyMicros = latencyMicros
    }
}

/// A message as committed: what `history` and exports return.
public struct StoredMessage: Sendable, Hashable, Codable {
    public var id: MessageID
    public var conversation: ConversationID
    /// 1-based position in its conversation, gap-free and ordered.
    public var seq: Int
    public var role: MessageRole
    public var text: String
    public var intent: String?
    public var confidence: Double?
    public var route: String?
    public var sources: [SourceRef]
    public var latencyMicros: Int?
    public var createdAt: Date
    /// The agent who wrote it (agent messages), as `NewMessage.author`.
    public var author: String?

    public init(
        id: MessageID, conversation: ConversationID, seq: Int, role: MessageRole, text: String,
        intent: String?, confidence: Double?, route: String?, sources: [SourceRef],
        latencyMicros: Int?, createdAt: Date, author: String? = nil
    ) {
        self.author = author
        self.id = id
        self.conversation = conversation
        self.seq = seq
        self.role = role
        self.text = text
        self.intent = intent
        self.confidence = confidence
        self.route = route
        self.sources = sources
        self.latencyMicros = latencyMicros
        self.createdAt = createdAt
    }
}

/// Transcript formats operators export to.
public enum ExportFormat: String, Sendable, Hashable, Codable, CaseIterable {
    case json, jsonl, markdown, csv
}
