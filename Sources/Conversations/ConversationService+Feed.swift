import Foundation
import Logging
import SupportCore

/// Several nodes, one store: what customers and agents on other nodes did reaches the sessions
/// live here through the store's change feed.
extension ConversationService {
    /// Applies `feed`'s changes from other nodes to the sessions live on this node until the
    /// feed ends or the task is cancelled: customer messages to joined agents, agent messages
    /// to customers, status changes to the cache (so the bot stops answering a conversation an
    /// agent took over elsewhere) and `ended` to both sides. After a gap in the feed, catches up
    /// from the store. Changes this node made were delivered when it made them and are skipped.
    public func follow(_ feed: any ConversationChangeFeed) async {
        for await item in feed.changes() {
            switch item {
            case .change(let change) where change.origin != feed.nodeID:
                apply(change)
            case .change:
                continue
            case .resumed(let since):
                await catchUp(since: since)
            }
        }
    }

    /// Delivers one change made on another node.
    func apply(_ change: ConversationChange) {
        switch change.kind {
        case .status(let status):
            hub.noteStatus(status, of: change.conversation)
            if status == .ended {
                hub.push(.ended(conversation: change.conversation), to: .customers)
                hub.push(.ended(conversation: change.conversation), to: .agents)
            }
        case .message(let message):
            deliver(message)
        }
    }

    private func deliver(_ message: StoredMessage) {
        guard hub.firstDelivery(of: message.id, in: message.conversation) else { return }
        hub.noteSeq(message.seq, of: message.conversation)
        switch message.role {
        case .user:
            hub.push(.customerMessage(conversation: message.conversation, message: message.id, text: message.text), to: .agents)
        case .agent:
            hub.push(
                .agentReply(
                    conversation: message.conversation, message: message.id, text: message.text,
                    agent: message.author ?? "agent"),
                to: .customers)
        case .bot, .system:
            break
        }
    }

    /// Re-reads every conversation someone is live on here after the feed was cut off at
    /// `since`: delivers the customer and agent messages written meanwhile (after the last
    /// `seq` known here, or created since the gap began when none is known) and the status.
    func catchUp(since: Date) async {
        let live = hub.liveConversations()
        logger.info("conversations.catch_up", metadata: ["conversations.live": "\(live.count)", "since": "\(since)"])
        for (conversation, lastSeq, cachedStatus) in live {
            do {
                guard let stored = try await store.conversation(id: conversation, client: nil) else { continue }
                for message in try await store.messages(conversation: conversation) {
                    let missed = lastSeq.map { message.seq > $0 } ?? (message.createdAt >= since)
                    if missed { deliver(message) }
                }
                if stored.status != cachedStatus {
                    apply(ConversationChange(origin: "", conversation: conversation, kind: .status(stored.status)))
                }
            } catch {
                logger.warning(
                    "conversations.catch_up.failed", metadata: ["conversation.id": "\(conversation)", "error": "\(error)"])
            }
        }
    }
}
