import Conversations
import SupportCore

/// How a conversation event reaches a line-protocol client: a JSON line with no request `id`,
/// or text lines followed by the empty line that ends every text-mode answer (docs/protocol.md,
/// "Agents and handoff").
enum PushEncoding {
    /// Writes the event as a connection in `mode` receives it.
    static func write(_ push: ConversationPush, mode: ConnectionSession.Mode, to output: SessionOutput) async throws {
        switch mode {
        case .json, .undecided: try await output.line(jsonLine(push.event))
        case .text: try await output.block(TextBlock.render(textLines(push)))
        }
    }

    /// The JSON object of an event.
    static func jsonLine(_ event: ConversationEvent) -> String {
        switch event {
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

    private static func textLines(_ push: ConversationPush) -> [String] {
        switch push.event {
        case .agentReply(_, _, let text, let agent):
            ["Agent \(TerminalText.oneLine(agent)): \(TerminalText.oneLine(text))"]
        case .customerMessage(let conversation, _, let text):
            ["Customer (\(conversation)): \(TerminalText.oneLine(text))"]
        case .ended(let conversation):
            switch push.audience {
            case .customers: ["This conversation has been closed by our team."]
            case .agents: ["Conversation \(conversation) has ended."]
            }
        }
    }
}

/// Text mode's answer framing, shared by replies and pushes.
package enum TextBlock {
    /// `lines` with empty lines inside them dropped (an empty line means "end of answer"),
    /// each ended by a newline, then the empty line that ends the answer.
    package static func render(_ lines: [String]) -> String {
        var output = ""
        for line in lines {
            for part in line.split(whereSeparator: \.isNewline) where !part.allSatisfy(\.isWhitespace) {
                // Nothing written in text mode can drive the terminal (escape sequences, bells).
                output += TerminalText.withoutControls(String(part))
                output += "\n"
            }
        }
        output += "\n"
        return output
    }
}
