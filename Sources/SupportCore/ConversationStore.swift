import Foundation

/// The one interface the assistant and the server use to persist conversations. SQLite (GRDB)
/// implements it today; a PostgreSQL backend for multi-node deployments can be added later
/// without touching its callers.
///
/// Durability: `append` returns only after its messages are committed with the configured
/// synchronous level, so a caller may acknowledge them to a client.
public protocol ConversationStore: Sendable {
    // MARK: Clients and tokens

    /// Creates a client and returns its new random token, shown once; only a hash is stored.
    /// Throws if a client of that name exists.
    func createClient(name: String, role: ClientRole) async throws -> String
    /// The client a token belongs to, or nil for an unknown or revoked token.
    func authenticate(token: String) async throws -> Client?
    /// All clients, revoked ones included, by name.
    func clients() async throws -> [Client]
    /// Revokes a client's token; returns false when there is no such client.
    func revokeClient(name: String) async throws -> Bool
    /// Whether any non-revoked token exists (a server bound off loopback requires one).
    func hasActiveTokens() async throws -> Bool

    // MARK: Conversations

    /// Creates an open conversation for `client` (a tokenless client row is made on demand).
    func createConversation(client: String, metadata: String?) async throws -> Conversation
    /// The conversation, when it exists and (if `client` is given) belongs to that client.
    func conversation(id: ConversationID, client: String?) async throws -> Conversation?
    /// Sets a conversation's status; returns false if it does not exist.
    func setStatus(_ status: ConversationStatus, conversation: ConversationID) async throws -> Bool
    /// Conversations with the given status, oldest update first (the handoff queue).
    func conversations(status: ConversationStatus) async throws -> [Conversation]

    // MARK: Messages

    /// Appends messages to a conversation, in order, in one durable transaction (batched with
    /// other callers' appends by group commit). Returns them as stored.
    func append(_ messages: [NewMessage], to conversation: ConversationID) async throws -> [StoredMessage]
    /// Every message of a conversation, oldest first.
    func messages(conversation: ConversationID) async throws -> [StoredMessage]
    /// One message by id.
    func message(id: MessageID) async throws -> StoredMessage?
    /// The conversation of bot message `id` when that conversation is `client`'s; nil when there
    /// is no such message, it is not a bot message, or it is another client's. Both lookups (the
    /// message, then a conversation of `client`) run in every case, by index, and no row is
    /// decoded, so the time taken does not tell another client's message ids from made-up ones.
    func conversationOfBotMessage(_ id: MessageID, client: String) async throws -> ConversationID?
    /// Records a rating (and optional comment) of a bot message.
    func recordFeedback(message: MessageID, rating: Rating, comment: String?) async throws

    // MARK: Export

    /// One conversation's transcript in `format`, optionally with personal data masked
    /// (`redact`) and, in CSV, text cells that a spreadsheet would evaluate as formulas prefixed
    /// with `'` (`guardFormulas`).
    func export(
        conversation: ConversationID, format: ExportFormat, redact: Bool, guardFormulas: Bool
    ) async throws
        -> String
}

extension ConversationStore {
    /// One conversation's transcript with text cells exactly as stored.
    public func export(conversation: ConversationID, format: ExportFormat, redact: Bool) async throws -> String {
        try await export(conversation: conversation, format: format, redact: redact, guardFormulas: false)
    }
}
