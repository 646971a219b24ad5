import Foundation

/// A change to a conversation that a node committed to a store shared by several nodes, as the
/// store announces it to every node (PostgreSQL: `NOTIFY` in the committing transaction).
public struct ConversationChange: Sendable, Hashable {
    /// What changed.
    public enum Kind: Sendable, Hashable {
        /// A customer's or an agent's message was appended (bot replies are not announced).
        case message(StoredMessage)
        /// The conversation's status was set.
        case status(ConversationStatus)
    }

    /// The node that committed it (`ConversationChangeFeed.nodeID` there).
    public var origin: String
    public var conversation: ConversationID
    public var kind: Kind

    public init(origin: String, conversation: ConversationID, kind: Kind) {
        self.origin = origin
        self.conversation = conversation
        self.kind = kind
    }
}

/// What a change feed delivers: changes in commit order, and a marker after the feed was cut
/// off (a lost database connection), when changes may have been missed.
public enum ConversationFeedItem: Sendable, Hashable {
    case change(ConversationChange)
    /// The feed is live again after a gap that began at `since`: whoever caches conversation
    /// state must re-read it from the store (changes committed from `since` on may be missing).
    case resumed(since: Date)
}

/// A store shared by several nodes tells every node what the others committed, so that
/// customers and agents connected to different nodes hear each other. A single-node store
/// (SQLite) has no feed: the in-process hub sees every change.
public protocol ConversationChangeFeed: Sendable {
    /// This node's id, as the `origin` of the changes it commits.
    var nodeID: String { get }
    /// Changes committed by any node (this one included), as they arrive, until the task is
    /// cancelled or the store closes. Call once.
    func changes() -> AsyncStream<ConversationFeedItem>
}
