import Foundation
import GRDB
import SupportCore

/// A message as an export writes it. `sources` stays the JSON text the store wrote (see
/// `JSONText.sources`), so JSON exports embed it without decoding and re-encoding.
package struct TranscriptMessage {
    package var id: String
    package var conversation: String
    package var seq: Int
    package var role: String
    package var text: String
    package var intent: String?
    package var confidence: Double?
    package var route: String?
    package var sources: String?
    package var createdAt: Int64

    package init(
        id: String, conversation: String, seq: Int, role: String, text: String, intent: String?, confidence: Double?,
        route: String?, sources: String?, createdAt: Int64
    ) {
        self.id = id
        self.conversation = conversation
        self.seq = seq
        self.role = role
        self.text = text
        self.intent = intent
        self.confidence = confidence
        self.route = route
        self.sources = sources
        self.createdAt = createdAt
    }

    /// The columns of `TranscriptExporter`'s message query, in order.
    static let selection = "id, seq, role, text, intent, confidence, route, sources, created_at"

    /// Decodes a row of `selection` belonging to `conversation`.
    init(row: Row, conversation: String) throws {
        id = try row.decode(atIndex: 0)
        self.conversation = conversation
        seq = try row.decode(atIndex: 1)
        role = try row.decode(atIndex: 2)
        text = try row.decode(atIndex: 3)
        intent = try row.decode(atIndex: 4)
        confidence = try row.decode(atIndex: 5)
        route = try row.decode(atIndex: 6)
        sources = try row.decode(atIndex: 7)
        createdAt = try row.decode(atIndex: 8)
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
