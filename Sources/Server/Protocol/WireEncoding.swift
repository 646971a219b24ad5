import Conversations
import Foundation
import SupportCore

/// JSON shapes of the protocol's responses, written in one place.
enum WireEncoding {
    static func timestamp(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: true).timeZone(separator: .omitted))
    }

    static func sources(_ sources: [SourceRef]) -> String {
        "["
            + sources.map { source in
                var object = JSONObject()
                object.field("id", source.id)
                object.field("title", source.title)
                object.field("file", source.file)
                object.field("score", (source.score * 10_000).rounded() / 10_000)
                if let url = source.url { object.field("url", url) }
                return object.text
            }.joined(separator: ",") + "]"
    }

    static func strings(_ values: [String]) -> String {
        JSONValue.array(values.map(JSONValue.string)).jsonText
    }

    static func message(_ message: StoredMessage) -> String {
        var object = JSONObject()
        object.field("id", message.id.rawValue)
        object.field("conversation", message.conversation.rawValue)
        object.field("seq", message.seq)
        object.field("role", message.role.rawValue)
        object.field("text", message.text)
        object.field("intent", message.intent.map(JSONValue.string) ?? .null)
        object.field("confidence", message.confidence.map(JSONValue.number) ?? .null)
        object.field("route", message.route.map(JSONValue.string) ?? .null)
        object.field("sources", raw: sources(message.sources))
        object.field("created_at", timestamp(message.createdAt))
        return object.text
    }

    /// One entry of the handoff `queue` (timestamps RFC 3339 UTC with milliseconds).
    static func queueEntry(_ conversation: Conversation) -> String {
        var object = JSONObject()
        object.field("conversation", conversation.id.rawValue)
        object.field("client", conversation.client)
        object.field("status", conversation.status.rawValue)
        object.field("created_at", RFC3339.string(from: conversation.createdAt))
        object.field("updated_at", RFC3339.string(from: conversation.updatedAt))
        return object.text
    }

    static func reply(id: RequestID?, conversation: ConversationID, message: MessageID, answer: ChatAnswer) -> String {
        var object = start("reply", id: id)
        object.field("conversation", conversation.rawValue)
        object.field("message", message.rawValue)
        object.field("text", answer.text)
        object.field("route", answer.route.rawValue)
        var intent = JSONObject()
        intent.field("name", answer.intent)
        intent.field("confidence", (answer.confidence * 10_000).rounded() / 10_000)
        object.field("intent", raw: intent.text)
        object.field("sources", raw: sources(answer.sources))
        object.field("options", raw: strings(answer.options))
        if let generator = answer.generator { object.field("generator", generator) }
        return object.text
    }

    static func error(id: RequestID?, _ error: RequestError) -> String {
        var object = start("error", id: id)
        object.field("code", error.code.rawValue)
        object.field("message", error.message)
        return object.text
    }

    /// An object whose first fields are `type` and, when present, `id`.
    static func start(_ type: String, id: RequestID?) -> JSONObject {
        var object = JSONObject()
        object.field("type", type)
        if let id { object.field("id", raw: id.jsonText) }
        return object
    }
}
