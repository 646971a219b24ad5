import Store
import Synchronization

/// The server's in-memory view of who is live on which conversation, used to hand a
/// conversation between the bot and a person.
///
/// - Customer connections are registered on the conversations they start, resume or message;
///   agent connections on the conversations they join or write into.
/// - Pushes (`PushEvent`) go to every live connection of one side of a conversation, except the
///   one that caused them, through each connection's `PushMailbox` (never blocking the sender).
/// - The status of a conversation whose status changed in this process (a handoff answer, an
///   agent's message, an `end`) or that was resumed here is cached while anyone is live on it,
///   so a customer's message needs no store read to know whether the bot may answer.
///
/// This is single-node state: it lives and dies with the process. The store stays the source
/// of truth; after a restart, statuses are read from it again as conversations are resumed.
final class ConversationHub: Sendable {
    /// Which side of a conversation a connection is on.
    enum Audience: Sendable, Hashable {
        case customers, agents
    }

    /// A registered connection: where to push, and how it wants its lines.
    struct Subscriber: Sendable {
        let mailbox: PushMailbox
        let mode: ConnectionSession.Mode
    }

    /// Live connections and cached status of one conversation.
    private struct Room {
        var customers: [UInt64: Subscriber] = [:]
        var agents: [UInt64: Subscriber] = [:]
        var status: ConversationStatus?

        var isEmpty: Bool { customers.isEmpty && agents.isEmpty }
    }

    private struct State {
        var rooms: [ConversationID: Room] = [:]
        /// Conversations each connection is registered on, for unregistering on close.
        var memberships: [UInt64: Set<ConversationID>] = [:]
        var nextNumber: UInt64 = 1
    }

    private let state = Mutex(State())

    init() {}

    /// A mailbox for a new connection, with a number unique for the server's lifetime.
    func makeMailbox() -> PushMailbox {
        let number = state.withLock { state in
            defer { state.nextNumber += 1 }
            return state.nextNumber
        }
        return PushMailbox(number: number)
    }

    /// Registers `subscriber` as live on `conversation` for `audience`'s pushes. Idempotent.
    func register(_ subscriber: Subscriber, on conversation: ConversationID, as audience: Audience) {
        state.withLock { state in
            let number = subscriber.mailbox.number
            switch audience {
            case .customers: state.rooms[conversation, default: Room()].customers[number] = subscriber
            case .agents: state.rooms[conversation, default: Room()].agents[number] = subscriber
            }
            state.memberships[number, default: []].insert(conversation)
        }
    }

    /// Removes a connection from every conversation (it closed, or re-authenticated), forgetting
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

    /// Pushes `event` to every live connection of `audience` on the event's conversation except
    /// `sender`. Returns how many connections it was queued for.
    @discardableResult
    func push(_ event: PushEvent, to audience: Audience, except sender: UInt64? = nil) -> Int {
        let subscribers: [Subscriber] = state.withLock { state in
            guard let room = state.rooms[event.conversation] else { return [] }
            let members = audience == .customers ? room.customers : room.agents
            return members.filter { $0.key != sender }.map(\.value)
        }
        var delivered = 0
        for subscriber in subscribers where subscriber.mailbox.deliver(event.encoded(for: subscriber.mode, audience: audience)) {
            delivered += 1
        }
        return delivered
    }
}
