import Assistant
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Store

/// What every connection shares: configuration, the store, the responder, and the hub that
/// connects customers and agents live on the same conversation.
struct ServerContext: Sendable {
    let configuration: ServerConfiguration
    let store: any ConversationStore
    let responder: any ChatResponder
    let logger: Logger
    let hub: ConversationHub
    let metrics: ServerMetrics
}

/// One client connection's protocol state and its request loop. Lives in the connection's own
/// task, so it needs no locking; requests are handled one at a time, in order.
final class ConnectionSession {
    enum Mode { case undecided, json, text }

    let context: ServerContext
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    /// Where other connections' pushes to this one are queued (see `ConversationHub`).
    let mailbox: PushMailbox
    var logger: Logger
    var mode: Mode = .undecided
    /// The authenticated client; `local` when the server needs no tokens.
    var client: Client?
    /// The connection's current conversation, created on first use.
    var currentConversation: ConversationID?
    /// Text mode, agents: the conversation `/join` picked, which `/say` and `/end` act on.
    var agentConversation: ConversationID?
    /// Set by a request that ends the connection (`/quit`).
    var closeRequested = false
    /// When the line being handled was taken up; reply latency is measured from here.
    var lineReceivedAt = ContinuousClock.now
    private var limiter: TokenBucket
    private let parser: RequestParser

    init(context: ServerContext, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, peer: String, mailbox: PushMailbox) {
        self.context = context
        self.outbound = outbound
        self.mailbox = mailbox
        var logger = context.logger
        logger[metadataKey: "connection.peer"] = "\(peer)"
        self.logger = logger
        let limits = context.configuration.limits
        self.limiter = TokenBucket(rate: limits.ratePerSecond, burst: limits.rateBurst)
        self.parser = RequestParser(maxMessageLength: limits.maxMessageLength)
        if !context.configuration.requireAuth {
            client = Client(name: "local", role: .customer, createdAt: Date())
        }
    }

    /// Serves the connection until the client leaves, breaks the protocol fatally, idles out, or
    /// the server shuts down gracefully (requests in progress finish first).
    func run(inbound: NIOAsyncChannelInboundStream<ConnectionEvent>) async throws {
        for try await event in inbound.cancelOnGracefulShutdown() {
            switch event {
            case .line(let line):
                try await handle(line: line)
                if closeRequested { return }
            case .lineTooLong:
                let limit = context.configuration.limits.maxLineLength
                try await sendError(id: nil, ProtocolError(.lineTooLong, "a line is longer than \(limit) bytes; closing"))
                return
            case .idle:
                try await sendBye(reason: "idle")
                return
            }
        }
        if Task.isShuttingDownGracefully {
            try await sendBye(reason: "shutdown")
        }
    }

    private func handle(line: ByteBuffer) async throws {
        lineReceivedAt = .now
        let bytes = line.readableBytesView
        guard let first = bytes.first(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else {
            return
        }
        if mode == .undecided {
            mode = first == UInt8(ascii: "{") ? .json : .text
            logger[metadataKey: "connection.mode"] = "\(mode)"
        }
        guard limiter.take() else {
            try await sendError(id: nil, ProtocolError(.rateLimited, "too many requests; slow down (limit \(Int(context.configuration.limits.ratePerSecond))/s)"))
            return
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            try await sendError(id: nil, ProtocolError(.badEncoding, "the line is not valid UTF-8"))
            return
        }
        switch mode {
        case .json, .undecided: try await handleJSON(text)
        case .text: try await handleText(text)
        }
    }

    private func handleJSON(_ line: String) async throws {
        let (id, parsed) = parser.parse(line)
        do {
            let request = try parsed.get()
            context.metrics.request(request.typeName)
            try await respond(to: request, id: id)
        } catch let error as ProtocolError {
            if case .failure = parsed { context.metrics.request("invalid") }
            try await sendError(id: id, error)
        }
    }

    /// Records the reply latency of the message being handled, once its reply is written.
    func recordReplyLatency() {
        context.metrics.replyLatency.record(lineReceivedAt.duration(to: .now))
    }

    // MARK: Operations shared by both modes

    /// The client, or `unauthorized` when the server requires a token and none was given.
    func requireClient() throws(ProtocolError) -> Client {
        guard let client else {
            throw ProtocolError(.unauthorized, "authenticate first with hello and a token")
        }
        return client
    }

    /// Authenticates with a token (or as `local` on a server that needs none).
    func authenticate(token: String?) async throws(ProtocolError) -> Client {
        guard let token, !token.isEmpty else {
            if context.configuration.requireAuth {
                throw ProtocolError(.unauthorized, "this server requires a token")
            }
            return try requireClient()
        }
        let found: Client?
        do {
            found = try await context.store.authenticate(token: token)
        } catch {
            throw storeFailure(error)
        }
        guard let found else { throw ProtocolError(.unauthorized, "unknown or revoked token") }
        client = found
        currentConversation = nil
        agentConversation = nil
        context.hub.unregister(mailbox.number)
        logger[metadataKey: "client.name"] = "\(found.name)"
        return found
    }

    /// A conversation of this client, or `not_found` (also for other clients' conversations).
    func ownConversation(_ id: ConversationID) async throws(ProtocolError) -> Conversation {
        let client = try requireClient()
        let conversation: Conversation?
        do {
            conversation = try await context.store.conversation(id: id, client: client.name)
        } catch {
            throw storeFailure(error)
        }
        guard let conversation else { throw ProtocolError.conversationNotFound }
        return conversation
    }

    /// A conversation this client may act on: any conversation for an agent, else its own;
    /// `not_found` otherwise.
    func accessibleConversation(_ id: ConversationID) async throws(ProtocolError) -> Conversation {
        let client = try requireClient()
        guard client.role == .agent else { return try await ownConversation(id) }
        let conversation: Conversation?
        do {
            conversation = try await context.store.conversation(id: id, client: nil)
        } catch {
            throw storeFailure(error)
        }
        guard let conversation else { throw ProtocolError.conversationNotFound }
        return conversation
    }

    func startConversation(metadata: String?) async throws(ProtocolError) -> Conversation {
        let client = try requireClient()
        do {
            let conversation = try await context.store.createConversation(client: client.name, metadata: metadata)
            currentConversation = conversation.id
            watch(conversation.id, as: .customers)
            return conversation
        } catch {
            throw storeFailure(error)
        }
    }

    /// Makes one of this client's conversations current again; its stored status seeds the hub.
    func resumeConversation(_ id: ConversationID) async throws(ProtocolError) -> Conversation {
        let conversation = try await ownConversation(id)
        currentConversation = conversation.id
        watch(conversation.id, as: .customers)
        context.hub.noteStatus(conversation.status, of: conversation.id)
        return conversation
    }

    /// Registers this connection as live on `conversation`, so it receives that side's pushes.
    func watch(_ conversation: ConversationID, as audience: ConversationHub.Audience) {
        context.hub.register(.init(mailbox: mailbox, mode: mode), on: conversation, as: audience)
    }

    /// Answers a customer message and returns the stored bot message id with the answer, after
    /// both messages are durably committed. In a conversation handed to a person the bot is not
    /// asked: the customer is told a person will reply, and joined agents get the message.
    func converse(
        text: String, conversation requested: ConversationID?, onDelta: (@Sendable (String) async -> Void)?
    ) async throws(ProtocolError) -> (ConversationID, MessageID, ChatAnswer) {
        let client = try requireClient()
        let conversationID: ConversationID
        let status: ConversationStatus
        if let requested {
            let conversation = try await ownConversation(requested)
            guard conversation.status != .ended else {
                throw ProtocolError(.invalidField, "conversation \(requested) has ended; start a new one")
            }
            conversationID = requested
            status = conversation.status
        } else if let currentConversation, context.hub.status(of: currentConversation) != .ended {
            conversationID = currentConversation
            status = context.hub.status(of: currentConversation) ?? .open
        } else {
            // No conversation yet, or ours was ended by an agent: start afresh.
            conversationID = try await startConversation(metadata: nil).id
            status = .open
        }
        watch(conversationID, as: .customers)
        let started = ContinuousClock.now
        let answer: ChatAnswer
        if status == .handoff {
            answer = ChatAnswer(text: context.configuration.handoffHoldMessage, route: .handoff, intent: "handoff", confidence: 1)
        } else {
            let turn = ChatTurn(conversation: conversationID, client: client.name, text: text)
            answer = await context.responder.respond(to: turn, onDelta: onDelta ?? { _ in })
        }
        let elapsed = started.duration(to: .now)
        let micros = Int(elapsed.components.seconds) * 1_000_000 + Int(elapsed.components.attoseconds / 1_000_000_000_000)
        let messages = [
            NewMessage(role: .user, text: text),
            NewMessage(
                role: .bot, text: answer.text, intent: answer.intent, confidence: answer.confidence,
                route: answer.route.rawValue, sources: answer.sources, latencyMicros: micros
            ),
        ]
        do {
            let stored = try await context.store.append(messages, to: conversationID)
            context.metrics.answered(answer.route)
            if let newStatus = answer.conversationStatus, newStatus != status {
                _ = try await context.store.setStatus(newStatus, conversation: conversationID)
                context.hub.noteStatus(newStatus, of: conversationID)
            }
            context.hub.push(
                .customerMessage(conversation: conversationID, message: stored[0].id, text: text), to: .agents, except: mailbox.number
            )
            logger.debug(
                "message answered",
                metadata: ["conversation.id": "\(conversationID)", "intent.name": "\(answer.intent)", "route": "\(answer.route.rawValue)"]
            )
            return (conversationID, stored[1].id, answer)
        } catch {
            throw storeFailure(error)
        }
    }

    func history(_ id: ConversationID) async throws(ProtocolError) -> [StoredMessage] {
        _ = try await accessibleConversation(id)
        do {
            return try await context.store.messages(conversation: id)
        } catch {
            throw storeFailure(error)
        }
    }

    func export(_ id: ConversationID, format: ExportFormat, redact: Bool) async throws(ProtocolError) -> String {
        _ = try await accessibleConversation(id)
        do {
            return try await context.store.export(conversation: id, format: format, redact: redact)
        } catch {
            throw storeFailure(error)
        }
    }

    /// Ends a conversation (an agent may end any) and tells everyone else live on it.
    func end(_ id: ConversationID) async throws(ProtocolError) {
        _ = try await accessibleConversation(id)
        do {
            _ = try await context.store.setStatus(.ended, conversation: id)
        } catch {
            throw storeFailure(error)
        }
        context.hub.noteStatus(.ended, of: id)
        context.hub.push(.ended(conversation: id), to: .customers, except: mailbox.number)
        context.hub.push(.ended(conversation: id), to: .agents, except: mailbox.number)
        if currentConversation == id { currentConversation = nil }
        if agentConversation == id { agentConversation = nil }
    }

    func feedback(message id: MessageID, rating: Rating, comment: String?) async throws(ProtocolError) {
        let client = try requireClient()
        do {
            guard let message = try await context.store.message(id: id), message.role == .bot,
                  try await context.store.conversation(id: message.conversation, client: client.name) != nil
            else {
                throw ProtocolError(.notFound, "no such bot message")
            }
            try await context.store.recordFeedback(message: id, rating: rating, comment: comment)
            await context.responder.noteFeedback(conversation: message.conversation, rating: rating)
        } catch let error as ProtocolError {
            throw error
        } catch {
            throw storeFailure(error)
        }
    }

    /// The single place where a store failure becomes a wire error. Details go to the log only.
    func storeFailure(_ error: any Error) -> ProtocolError {
        logger.error("store operation failed", metadata: ["error": "\(error)"])
        return ProtocolError(.unavailable, "the conversation store is unavailable; try again shortly")
    }

    // MARK: Output

    func writeLine(_ text: String) async throws {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(text.utf8.count + 1)
        buffer.writeString(text)
        buffer.writeInteger(UInt8(ascii: "\n"))
        try await outbound.write(buffer)
    }

    func sendError(id: RequestID?, _ error: ProtocolError) async throws {
        logger.debug("request refused", metadata: ["error.code": "\(error.code)"])
        context.metrics.error(error.code)
        switch mode {
        case .json, .undecided: try await writeLine(WireEncoding.error(id: id, error))
        case .text: try await writeText(["error: \(error.message) (\(error.code))"])
        }
    }

    private func sendBye(reason: String) async throws {
        switch mode {
        case .json:
            var object = WireEncoding.start("bye", id: nil)
            object.field("reason", reason)
            try await writeLine(object.text)
        case .text:
            try await writeText([reason == "idle" ? "Closing this idle connection. Goodbye." : "The server is shutting down. Goodbye."])
        case .undecided:
            break
        }
    }
}
