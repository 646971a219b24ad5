import Foundation
import GRDB

/// A conversation as an export writes it: raw column values, no JSON decoding.
struct TranscriptConversation {
    var id: String
    var client: String
    var status: String
    /// The metadata JSON object as stored (validated on insert), or nil.
    var metadata: String?
    var createdAt: Int64
    var updatedAt: Int64

    /// Columns 0–5 of `TranscriptRow.query`.
    init(row: Row) throws {
        id = try row.decode(atIndex: 0)
        client = try row.decode(atIndex: 1)
        status = try row.decode(atIndex: 2)
        metadata = try row.decode(atIndex: 3)
        createdAt = try row.decode(atIndex: 4)
        updatedAt = try row.decode(atIndex: 5)
    }
}

/// A message as an export writes it. `sources` stays the JSON text the store wrote (see
/// `JSONText.sources`), so JSON exports embed it without decoding and re-encoding.
struct TranscriptMessage {
    var id: String
    var conversation: String
    var seq: Int
    var role: String
    var text: String
    var intent: String?
    var confidence: Double?
    var route: String?
    var sources: String?
    var createdAt: Int64

    /// Columns 6–14 of `TranscriptRow.query`, or nil when the row has no message (a
    /// conversation without messages in a LEFT JOIN).
    init?(row: Row, conversation: String) throws {
        guard let id: String = try row.decode(atIndex: 6) else { return nil }
        self.id = id
        self.conversation = conversation
        seq = try row.decode(atIndex: 7)
        role = try row.decode(atIndex: 8)
        text = try row.decode(atIndex: 9)
        intent = try row.decode(atIndex: 10)
        confidence = try row.decode(atIndex: 11)
        route = try row.decode(atIndex: 12)
        sources = try row.decode(atIndex: 13)
        createdAt = try row.decode(atIndex: 14)
    }

    init(_ message: StoredMessage) {
        id = message.id.rawValue
        conversation = message.conversation.rawValue
        seq = message.seq
        role = message.role.rawValue
        text = message.text
        intent = message.intent
        confidence = message.confidence
        route = message.route
        sources = message.sources.isEmpty ? nil : JSONText.sources(message.sources)
        createdAt = message.createdAt.millisSince1970
    }

    /// The sources array as JSON text (`[]` when there are none).
    var sourcesJSON: String { sources ?? "[]" }

    /// Appends the wire protocol's message object (`id, conversation, seq, role, text, intent,
    /// confidence, route, sources, created_at`).
    func appendJSONObject(to out: inout [UInt8]) {
        out.append(contentsOf: "{\"id\":".utf8)
        JSONText.appendString(id, to: &out)
        out.append(contentsOf: ",\"conversation\":".utf8)
        JSONText.appendString(conversation, to: &out)
        out.append(contentsOf: ",\"seq\":".utf8)
        JSONText.appendInteger(seq, to: &out)
        out.append(contentsOf: ",\"role\":".utf8)
        JSONText.appendString(role, to: &out)
        out.append(contentsOf: ",\"text\":".utf8)
        JSONText.appendString(text, to: &out)
        out.append(contentsOf: ",\"intent\":".utf8)
        JSONText.appendOptionalString(intent, to: &out)
        out.append(contentsOf: ",\"confidence\":".utf8)
        JSONText.appendNumber(confidence, to: &out)
        out.append(contentsOf: ",\"route\":".utf8)
        JSONText.appendOptionalString(route, to: &out)
        out.append(contentsOf: ",\"sources\":".utf8)
        out.append(contentsOf: sourcesJSON.utf8)
        out.append(contentsOf: ",\"created_at\":\"".utf8)
        RFC3339.append(millis: createdAt, to: &out)
        out.append(contentsOf: "\"}".utf8)
    }
}

extension StoredMessage {
    /// This message as the wire protocol's message object, one line of JSON (for `history`).
    public var jsonObject: String {
        var out = [UInt8]()
        TranscriptMessage(self).appendJSONObject(to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
