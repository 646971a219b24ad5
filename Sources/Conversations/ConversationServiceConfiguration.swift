/// What the conversation service can be told, whatever channel its sessions come from. Every
/// field has a documented default.
public struct ConversationServiceConfiguration: Sendable {
    /// Whether clients must authenticate with a token. Default false (loopback development:
    /// every session is the client `local`).
    public var requireAuth: Bool
    /// What a customer is told about a message in a conversation handed to a person (the bot
    /// no longer answers there; an agent will). Default "Your message is with our support team;
    /// a person will reply here."
    public var handoffHoldMessage: String
    /// Events a session may leave unread before its mailbox closes (the channel then closes a
    /// client that does not read). Default 256.
    public var mailboxCapacity: Int

    public init(
        requireAuth: Bool = false,
        handoffHoldMessage: String = "Your message is with our support team; a person will reply here.",
        mailboxCapacity: Int = 256
    ) {
        self.requireAuth = requireAuth
        self.handoffHoldMessage = handoffHoldMessage
        self.mailboxCapacity = mailboxCapacity
    }
}
