import Foundation
import SupportCore

/// JSON: an array of conversation documents (`id, client, status, metadata, created_at,
/// updated_at, messages`), each message a wire-protocol message object on its own line.
struct JSONTranscriptFormatter: TranscriptFormatter {
    private var conversations = 0
    private var messagesInConversation = 0

    mutating func begin(into out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
    }

    mutating func beginConversation(_ conversation: TranscriptConversation, redact: Bool, into out: inout [UInt8]) {
        out.append(contentsOf: (conversations == 0 ? "\n" : ",\n").utf8)
        conversations += 1
        messagesInConversation = 0
        out.append(contentsOf: "{\"id\":".utf8)
        JSONText.appendString(conversation.id, to: &out)
        out.append(contentsOf: ",\"client\":".utf8)
        JSONText.appendString(conversation.client, to: &out)
        out.append(contentsOf: ",\"status\":".utf8)
        JSONText.appendString(conversation.status, to: &out)
        out.append(contentsOf: ",\"metadata\":".utf8)
        out.append(contentsOf: ((redact ? nil : conversation.metadata) ?? "null").utf8)
        out.append(contentsOf: ",\"created_at\":\"".utf8)
        RFC3339.append(millis: conversation.createdAt, to: &out)
        out.append(contentsOf: "\",\"updated_at\":\"".utf8)
        RFC3339.append(millis: conversation.updatedAt, to: &out)
        out.append(contentsOf: "\",\"messages\":[".utf8)
    }

    mutating func message(_ message: TranscriptMessage, into out: inout [UInt8]) {
        out.append(contentsOf: (messagesInConversation == 0 ? "\n" : ",\n").utf8)
        messagesInConversation += 1
        message.appendJSONObject(to: &out)
    }

    mutating func endConversation(into out: inout [UInt8]) {
        out.append(contentsOf: "]}".utf8)
    }

    mutating func end(into out: inout [UInt8]) {
        out.append(contentsOf: "\n]\n".utf8)
    }
}

/// JSON Lines: one wire-protocol message object per line, nothing else.
struct JSONLinesTranscriptFormatter: TranscriptFormatter {
    mutating func begin(into out: inout [UInt8]) {}
    mutating func beginConversation(_ conversation: TranscriptConversation, redact: Bool, into out: inout [UInt8]) {}

    mutating func message(_ message: TranscriptMessage, into out: inout [UInt8]) {
        message.appendJSONObject(to: &out)
        out.append(UInt8(ascii: "\n"))
    }

    mutating func endConversation(into out: inout [UInt8]) {}
    mutating func end(into out: inout [UInt8]) {}
}
