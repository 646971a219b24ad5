import Assistant
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Store

/// What every connection shares: configuration, the store, the responder.
struct ServerContext: Sendable {
    let configuration: ServerConfiguration
    let store: any ConversationStore
    let responder: any ChatResponder
    let logger: Logger
}

/// One client connection's protocol state and its request loop. Lives in the connection's own
/// task, so it needs no locking; requests are handled one at a time, in order.
final class ConnectionSession {
    enum Mode { case undecided, json, text }

    let context: ServerContext
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    var logger: Logger
    var mode: Mode = .undecided
    /// The authenticated client; `local` when the server needs no tokens.
    var client: Client?
    /// The connection's current conversation, created on first use.
    var currentConversation: ConversationID?
    /// Set by a request that ends the connection (`/quit`).
    var closeRequested = false
    private var limiter: TokenBucket
    private let parser: RequestParser

    init(context: ServerContext, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, peer: String) {
        self.context = context
        self.outbound = outbound
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
            try await respond(to: request, id: id)
        } catch let error as ProtocolError {
            try await sendError(id: id, error)
        }
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

    func startConversation(metadata: String?) async throws(ProtocolError) -> Conversation {
        let client = try requireClient()
        do {
            let conversation = try await context.store.createConversation(client: client.name, metadata: metadata)
            currentConversation = conversation.id
            return conversation
        } catch {
            throw storeFailure(error)
        }
    }

    /// Answers a customer message and returns the stored bot message id with the answer, after
    /// both messages are durably committed.
    func converse(
        text: String, conversation requested: ConversationID?, onDelta: (@Sendable (String) async -> Void)?
    ) async throws(ProtocolError) -> (ConversationID, MessageID, ChatAnswer) {
        let client = try requireClient()
        let conversationID: ConversationID
        if let requested {
            let conversation = try await ownConversation(requested)
            guard conversation.status != .ended else {
                throw ProtocolError(.invalidField, "conversation \(requested) has ended; start a new one")
            }
            conversationID = requested
        } else if let currentConversation {
            conversationID = currentConversation
        } else {
            conversationID = try await startConversation(metadata: nil).id
        }
        let started = ContinuousClock.now
        let turn = ChatTurn(conversation: conversationID, client: client.name, text: text)
        let answer = await context.responder.respond(to: turn, onDelta: onDelta ?? { _ in })
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
            if let status = answer.conversationStatus {
                _ = try await context.store.setStatus(status, conversation: conversationID)
            }
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
        _ = try await ownConversation(id)
        do {
            return try await context.store.messages(conversation: id)
        } catch {
            throw storeFailure(error)
        }
    }

    func export(_ id: ConversationID, format: ExportFormat, redact: Bool) async throws(ProtocolError) -> String {
        _ = try await ownConversation(id)
        do {
            return try await context.store.export(conversation: id, format: format, redact: redact)
        } catch {
            throw storeFailure(error)
        }
    }

    func end(_ id: ConversationID) async throws(ProtocolError) {
        _ = try await ownConversation(id)
        do {
            _ = try await context.store.setStatus(.ended, conversation: id)
        } catch {
            throw storeFailure(error)
        }
        if currentConversation == id { currentConversation = nil }
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
