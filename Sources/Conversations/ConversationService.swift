import Foundation
import Logging
import SupportCore

/// The conversation use case, independent of any transport: who the client is, which
/// conversation a message belongs to, whether the bot or a person answers it, and what is
/// persisted and told to whom. Channels (the TLS line server, the WebSocket) turn bytes into
/// calls on a `ConversationSession` and its results and events back into bytes.
///
/// Where a customer message gets persisted: `ConversationSession.converse(text:conversation:onDelta:)`.
/// The service is the one owner of conversation status: it writes the store and the live cache
/// together, and nothing else changes either.
public final class ConversationService: Sendable {
    let store: any ConversationStore
    let responder: any ChatResponder
    let configuration: ConversationServiceConfiguration
    let logger: Logger
    let hub: ConversationHub
    /// Authenticated sessions' mailboxes by client name, for ending them when a token is revoked.
    let liveClients = LiveClients()

    public init(
        store: any ConversationStore, responder: any ChatResponder,
        configuration: ConversationServiceConfiguration = .init(), logger: Logger
    ) {
        self.store = store
        self.responder = responder
        self.configuration = configuration
        self.logger = logger
        self.hub = ConversationHub(mailboxCapacity: configuration.mailboxCapacity)
    }

    /// Whether sessions must authenticate with a token.
    public var requiresAuthentication: Bool { configuration.requireAuth }

    /// A session for one client connection; `logger` carries the channel's metadata (peer,
    /// mode). Call `ConversationSession.close()` when the connection ends.
    public func makeSession(logger: Logger) -> ConversationSession {
        ConversationSession(service: self, mailbox: hub.makeMailbox(), logger: logger)
    }

    // MARK: Status, the one place it changes

    /// The status of a conversation: the live cache when someone is on it, else the store's.
    func status(of conversation: Conversation) -> ConversationStatus {
        hub.status(of: conversation.id) ?? conversation.status
    }

    /// Stores a new status and updates the live cache.
    func setStatus(_ status: ConversationStatus, of conversation: ConversationID, logger: Logger) async throws(RequestError) {
        do {
            _ = try await store.setStatus(status, conversation: conversation)
        } catch {
            throw storeFailure(error, logger: logger)
        }
        hub.noteStatus(status, of: conversation)
    }

    /// The single place where a store failure becomes a request error. Details go to the log only.
    func storeFailure(_ error: any Error, logger: Logger) -> RequestError {
        logger.error("store.failed", metadata: ["error": "\(error)"])
        return RequestError(.unavailable, "the conversation store is unavailable; try again shortly")
    }

    /// Runs a store call, turning its failure into `unavailable`.
    func withStore<T>(logger: Logger, _ body: () async throws -> T) async throws(RequestError) -> T {
        do {
            return try await body()
        } catch let error as RequestError {
            throw error
        } catch {
            throw storeFailure(error, logger: logger)
        }
    }
}
