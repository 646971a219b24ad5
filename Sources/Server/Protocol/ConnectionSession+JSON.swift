import Conversations
import Logging
import NIOCore
import SupportCore

extension ConnectionSession {
    /// Handles one parsed JSON-mode request and writes its response(s).
    func respond(to request: Request, id: RequestID?) async throws {
        if case .hello = request {
        } else if session.client == nil {
            throw RequestError(.unauthorized, "send hello with a token first")
        }
        switch request {
        case .hello(let token, let clientLabel):
            let client = try await authenticate(token: token)
            if let clientLabel { logger.debug("client.hello", metadata: ["client.label": "\(clientLabel)"]) }
            var object = WireEncoding.start("welcome", id: id)
            object.field("server", context.configuration.serverName)
            object.field("protocol", 1)
            object.field("client", client.name)
            try await writeLine(object.text)

        case .start(let requested, let metadata):
            let conversation: Conversation
            if let requested {
                conversation = try await session.resume(requested)
            } else {
                conversation = try await session.start(metadata: metadata)
            }
            var object = WireEncoding.start("started", id: id)
            object.field("conversation", conversation.id.rawValue)
            object.field("resumed", requested != nil)
            try await writeLine(object.text)

        case .message(let conversation, let text):
            let output = self.output
            let onDelta: @Sendable (String) async -> Void = { delta in
                var object = WireEncoding.start("delta", id: id)
                object.field("text", delta)
                try? await output.line(object.text)
            }
            let exchange = try await session.converse(text: text, conversation: conversation, onDelta: onDelta)
            try await writeLine(
                WireEncoding.reply(
                    id: id, conversation: exchange.conversation, message: exchange.replyMessage, answer: exchange.answer))
            recordReply(exchange.answer)

        case .history(let conversation):
            let messages = try await session.history(conversation)
            var object = WireEncoding.start("history", id: id)
            object.field("conversation", conversation.rawValue)
            object.field("messages", raw: "[" + messages.map(WireEncoding.message).joined(separator: ",") + "]")
            try await writeLine(object.text)

        case .export(let conversation, let format, let redact, let guardFormulas):
            let content = try await session.export(
                conversation, format: format, redact: redact, guardFormulas: guardFormulas)
            var object = WireEncoding.start("export", id: id)
            object.field("conversation", conversation.rawValue)
            object.field("format", format.rawValue)
            object.field("content", content)
            try await writeLine(object.text)

        case .feedback(let message, let rating, let comment):
            try await session.feedback(message: message, rating: rating, comment: comment)
            try await writeLine(WireEncoding.start("ok", id: id).text)

        case .end(let conversation):
            try await session.end(conversation)
            var object = WireEncoding.start("ended", id: id)
            object.field("conversation", conversation.rawValue)
            try await writeLine(object.text)

        case .ping:
            try await writeLine(WireEncoding.start("pong", id: id).text)

        case .queue:
            let conversations = try await session.handoffQueue()
            var object = WireEncoding.start("queue", id: id)
            object.field("conversations", raw: "[" + conversations.map(WireEncoding.queueEntry).joined(separator: ",") + "]")
            try await writeLine(object.text)

        case .join(let conversation):
            let (joined, messages) = try await session.join(conversation)
            var object = WireEncoding.start("joined", id: id)
            object.field("conversation", joined.id.rawValue)
            object.field("client", joined.client)
            object.field("status", joined.status.rawValue)
            object.field("messages", raw: "[" + messages.map(WireEncoding.message).joined(separator: ",") + "]")
            try await writeLine(object.text)

        case .agentMessage(let conversation, let text):
            let message = try await session.say(text, to: conversation)
            var object = WireEncoding.start("sent", id: id)
            object.field("conversation", conversation.rawValue)
            object.field("message", message.rawValue)
            try await writeLine(object.text)
        }
    }
}
