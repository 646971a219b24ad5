import NIOCore
import Store

/// Something that happened in a conversation which live connections on it are told about
/// without asking: lines with no request `id`.
enum PushEvent: Sendable, Hashable {
    /// An agent wrote into the conversation (sent to its customers as a `reply` with route `agent`).
    case agentReply(conversation: ConversationID, message: MessageID, text: String, agent: String)
    /// The customer wrote a message (sent to agents who joined the conversation).
    case customerMessage(conversation: ConversationID, message: MessageID, text: String)
    /// The conversation ended (sent to both sides, except the connection that ended it).
    case ended(conversation: ConversationID)

    var conversation: ConversationID {
        switch self {
        case .agentReply(let conversation, _, _, _), .customerMessage(let conversation, _, _), .ended(let conversation):
            conversation
        }
    }

    /// The event as the bytes a connection in `mode` receives (a JSON line, or text lines
    /// followed by the empty line that ends every text-mode answer).
    func encoded(for mode: ConnectionSession.Mode, audience: ConversationHub.Audience) -> ByteBuffer {
        switch mode {
        case .json, .undecided:
            var buffer = ByteBuffer(string: jsonLine)
            buffer.writeInteger(UInt8(ascii: "\n"))
            return buffer
        case .text:
            return ByteBuffer(string: TextBlock.render(textLines(audience: audience)))
        }
    }

    /// The JSON object of the event (protocol.md, "Agents and handoff").
    var jsonLine: String {
        switch self {
        case .agentReply(let conversation, let message, let text, let agent):
            var object = WireEncoding.start("reply", id: nil)
            object.field("conversation", conversation.rawValue)
            object.field("message", message.rawValue)
            object.field("text", text)
            object.field("route", "agent")
            object.field("intent", JSONValue.null)
            object.field("sources", raw: "[]")
            object.field("options", raw: "[]")
            object.field("agent", agent)
            return object.text
        case .customerMessage(let conversation, let message, let text):
            var object = WireEncoding.start("customer", id: nil)
            object.field("conversation", conversation.rawValue)
            object.field("message", message.rawValue)
            object.field("text", text)
            return object.text
        case .ended(let conversation):
            var object = WireEncoding.start("ended", id: nil)
            object.field("conversation", conversation.rawValue)
            return object.text
        }
    }

    private func textLines(audience: ConversationHub.Audience) -> [String] {
        switch self {
        case .agentReply(_, _, let text, let agent):
            ["Agent \(agent): \(text)"]
        case .customerMessage(let conversation, _, let text):
            ["Customer (\(conversation)): \(text)"]
        case .ended(let conversation):
            switch audience {
            case .customers: ["This conversation has been closed by our team."]
            case .agents: ["Conversation \(conversation) has ended."]
            }
        }
    }
}

/// Text mode's answer framing, shared by replies and pushes.
enum TextBlock {
    /// `lines` with empty lines inside them dropped (an empty line means "end of answer"),
    /// each ended by a newline, then the empty line that ends the answer.
    static func render(_ lines: [String]) -> String {
        var output = ""
        for line in lines {
            for part in line.split(whereSeparator: \.isNewline) where !part.allSatisfy(\.isWhitespace) {
                output += part
                output += "\n"
            }
        }
        output += "\n"
        return output
    }
}
