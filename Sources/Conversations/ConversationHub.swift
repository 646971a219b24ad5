import SupportCore
import Synchronization

/// Who is live on which conversation, and the status of those conversations: the in-process
/// meeting point of customers and agents. Only `ConversationService` uses it.
///
/// - Customer sessions are registered on the conversations they start, resume or message;
///   agent sessions on the conversations they join or write into.
/// - Events go to every live session of one side of a conversation, except the one that caused
///   them, through each session's `EventMailbox` (never blocking the sender).
/// - The status of a conversation someone is live on is cached here once the service has read
///   or written it, so a customer's message needs no store read to know whether the bot may
///   answer. The store stays the source of truth; the service is the only writer of both.
///
/// This is per-node state: it lives and dies with the process. With a store shared by several
/// nodes, `ConversationService.follow(_:)` feeds it the other nodes' changes.
final class ConversationHub: Sendable {
    /// Live sessions and cached status of one conversation.
    private struct Room {
        var customers: [UInt64: EventMailbox] = [:]
        var agents: [UInt64: EventMailbox] = [:]
        var status: ConversationStatus?
        /// The highest `seq` this node wrote, delivered or read for the conversation while
        /// someone was live on it; nil until known. Catching up after a feed gap starts here.
        var lastSeq: Int?
        /// Ids of the last messages other nodes' changes delivered here, so a message both
        /// announced live and found again by a catch-up is pushed once.
        var delivered: [MessageID] = []

        var isEmpty: Bool { customers.isEmpty && agents.isEmpty }
    }

    private struct State {
        var rooms: [ConversationID: Room] = [:]
        /// Conversations each session is registered on, for unregistering on close.
        var memberships: [UInt64: Set<ConversationID>] = [:]
        var nextNumber: UInt64 = 1
    }

    private let state = Mutex(State())
    private let mailboxCapacity: Int

    init(mailboxCapacity: Int) {
        self.mailboxCapacity = mailboxCapacity
    }

    /// A mailbox for a new session, with a number unique for the hub's lifetime.
    func makeMailbox() -> EventMailbox {
        let number = state.withLock { state in
            defer { state.nextNumber += 1 }
            return state.nextNumber
        }
        return EventMailbox(number: number, capacity: mailboxCapacity)
    }

    /// Registers `mailbox` as live on `conversation` for `audience`'s events. Idempotent.
    func register(_ mailbox: EventMailbox, on conversation: ConversationID, as audience: ConversationAudience) {
        state.withLock { state in
            let number = mailbox.number
            switch audience {
            case .customers: state.rooms[conversation, default: Room()].customers[number] = mailbox
            case .agents: state.rooms[conversation, default: Room()].agents[number] = mailbox
            }
            state.memberships[number, default: []].insert(conversation)
        }
    }

    /// Removes a session from every conversation (it closed, or re-authenticated), forgetting
    /// cached statuses nobody is live on any more.
    func unregister(_ number: UInt64) {
        state.withLock { state in
            guard let conversations = state.memberships.removeValue(forKey: number) else { return }
            for conversation in conversations {
                guard var room = state.rooms[conversation] else { continue }
                room.customers[number] = nil
                room.agents[number] = nil
                state.rooms[conversation] = room.isEmpty ? nil : room
            }
        }
    }

    /// The cached status of a conversation someone is live on, or nil when unknown here.
    func status(of conversation: ConversationID) -> ConversationStatus? {
        state.withLock { $0.rooms[conversation]?.status }
    }

    /// Records a status the store now holds. Cached only while someone is live on the
    /// conversation; otherwise the next reader asks the store anyway.
    func noteStatus(_ status: ConversationStatus, of conversation: ConversationID) {
        state.withLock { state in
            guard state.rooms[conversation] != nil else { return }
            state.rooms[conversation]?.status = status
        }
    }

    /// Records that the conversation's messages up to `seq` are known here (written, delivered
    /// or read). Kept only while someone is live on the conversation.
    func noteSeq(_ seq: Int, of conversation: ConversationID) {
        state.withLock { state in
            guard let room = state.rooms[conversation] else { return }
            state.rooms[conversation]?.lastSeq = max(room.lastSeq ?? 0, seq)
        }
    }

    /// Records that `message` of `conversation` is being pushed from another node's change;
    /// returns false when it was already (the feed and a catch-up both found it). Remembers the
    /// last 64 per conversation, while someone is live on it.
    func firstDelivery(of message: MessageID, in conversation: ConversationID) -> Bool {
        state.withLock { state in
            guard var room = state.rooms[conversation] else { return true }
            guard !room.delivered.contains(message) else { return false }
            room.delivered.append(message)
            if room.delivered.count > 64 { room.delivered.removeFirst(room.delivered.count - 64) }
            state.rooms[conversation] = room
            return true
        }
    }

    /// Conversations someone is live on here, with the last `seq` known for each.
    func liveConversations() -> [(conversation: ConversationID, lastSeq: Int?, status: ConversationStatus?)] {
        state.withLock { state in state.rooms.map { ($0.key, $0.value.lastSeq, $0.value.status) } }
    }

    /// Delivers `event` to every live session of `audience` on the event's conversation except
    /// `sender`. Returns how many sessions it was queued for.
    @discardableResult
    func push(_ event: ConversationEvent, to audience: ConversationAudience, except sender: UInt64? = nil) -> Int {
        let mailboxes: [EventMailbox] = state.withLock { state in
            guard let room = state.rooms[event.conversation] else { return [] }
            let members = audience == .customers ? room.customers : room.agents
            return members.filter { $0.key != sender }.map(\.value)
        }
        let push = ConversationPush(event: event, audience: audience)
        var delivered = 0
        for mailbox in mailboxes where mailbox.deliver(push) {
            delivered += 1
        }
        return delivered
    }
}
