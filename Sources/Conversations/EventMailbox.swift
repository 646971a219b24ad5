import Synchronization

/// A session's inbox for events other sessions cause (an agent's reply, a customer's message,
/// a conversation ending). Senders only enqueue, so a slow receiver never holds up the sender;
/// the channel's own drain task writes them out under its normal backpressure. A receiver that
/// lets `capacity` events pile up is not reading at all: the mailbox closes, and the channel
/// closes the connection with it.
public final class EventMailbox: Sendable {
    /// Unique per session for the service's lifetime; the hub's key for this session.
    public let number: UInt64
    /// The delivered events, in order; finishes when the mailbox closes.
    public let events: AsyncStream<ConversationPush>
    private let continuation: AsyncStream<ConversationPush>.Continuation
    private let overflowedFlag = Atomic<Bool>(false)
    private let revokedFlag = Atomic<Bool>(false)

    init(number: UInt64, capacity: Int) {
        self.number = number
        (events, continuation) = AsyncStream.makeStream(of: ConversationPush.self, bufferingPolicy: .bufferingOldest(capacity))
    }

    /// Whether a push was refused because the receiver had `capacity` events unread.
    public var overflowed: Bool { overflowedFlag.load(ordering: .relaxed) }

    /// Enqueues one event. Returns false when the mailbox is closed or full; a full mailbox
    /// closes itself.
    @discardableResult
    func deliver(_ push: ConversationPush) -> Bool {
        switch continuation.yield(push) {
        case .enqueued:
            return true
        case .dropped:
            overflowedFlag.store(true, ordering: .relaxed)
            continuation.finish()
            return false
        case .terminated:
            return false
        @unknown default:
            return false
        }
    }

    /// Whether the session's token was revoked: the channel says `bye` (reason `revoked`) and
    /// closes the connection once the queued events are written.
    public var revoked: Bool { revokedFlag.load(ordering: .relaxed) }

    /// Marks the session's token as revoked and ends the event stream.
    func revoke() {
        revokedFlag.store(true, ordering: .relaxed)
        continuation.finish()
    }

    /// Stops accepting events; those already queued are still handed to the drain task.
    func close() {
        continuation.finish()
    }
}
