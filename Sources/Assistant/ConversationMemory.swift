import SupportCore
import Synchronization

/// What the assistant remembers of one conversation between turns: enough for follow-up
/// retrieval, clarification and the handoff triggers. Kept in memory only; after a restart a
/// conversation simply starts without it.
struct ConversationState: Sendable {
    /// A clarifying question waiting for the customer's choice.
    struct PendingClarification: Sendable {
        /// The message that was ambiguous; the chosen intent answers it.
        var question: String
        /// The intents offered, in the order shown.
        var options: [String]
        /// Their probabilities when offered.
        var confidences: [Double]
    }

    var previousUserTurn: String?
    /// Its embedding, when the assistant computed one (saves encoding it again for a follow-up).
    var previousTurnEmbedding: [Float]?
    var turns = 0
    var pending: PendingClarification?
    /// Fallbacks and "that didn't help"s in a row; two hand the conversation to a person.
    var strikes = 0
    /// The customer down-rated an answer and has not said anything since.
    var downRated = false
    /// Route of the last reply, to read "no" or "that didn't help" as a verdict on it.
    var lastRoute: ChatRoute?
    /// Logical clock of the last use, for eviction.
    var touched: UInt64 = 0
}

/// The per-conversation states, bounded: past `capacity` conversations the least recently used
/// tenth is forgotten, so a long-running server's memory stays flat.
final class ConversationMemory: Sendable {
    private struct Table {
        var states: [ConversationID: ConversationState] = [:]
        var clock: UInt64 = 0
    }

    private let table = Mutex(Table())
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = max(capacity, 1)
    }

    /// The conversation's state (a fresh one if unknown).
    func state(of conversation: ConversationID) -> ConversationState {
        table.withLock { $0.states[conversation] ?? ConversationState() }
    }

    /// Applies `change` to the conversation's state and stores the result.
    func update(_ conversation: ConversationID, _ change: (inout ConversationState) -> Void) {
        table.withLock { table in
            table.clock &+= 1
            var state = table.states[conversation] ?? ConversationState()
            change(&state)
            state.touched = table.clock
            table.states[conversation] = state
            if table.states.count > capacity {
                let keep = capacity - capacity / 10
                let survivors = table.states.sorted { $0.value.touched > $1.value.touched }.prefix(keep)
                table.states = Dictionary(uniqueKeysWithValues: survivors.map { ($0.key, $0.value) })
            }
        }
    }

    /// Conversations currently remembered.
    var count: Int { table.withLock { $0.states.count } }
}
