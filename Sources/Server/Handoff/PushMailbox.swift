import NIOCore
import Synchronization

/// A connection's inbox for lines that other connections push to it (an agent's reply, a
/// customer's message, a conversation ending). Senders only enqueue, so a slow receiver never
/// holds up the sender; the connection's own drain task writes the lines to its socket, under
/// the socket's normal backpressure. A receiver that lets `capacity` lines pile up is not
/// reading at all: the mailbox closes, and the connection is closed with it.
final class PushMailbox: Sendable {
    /// Unique per connection for the server's lifetime; the hub's key for this connection.
    let number: UInt64
    /// The pushed lines, in the order they were delivered; finishes when the mailbox closes.
    let lines: AsyncStream<ByteBuffer>
    private let continuation: AsyncStream<ByteBuffer>.Continuation
    private let overflowedFlag = Atomic<Bool>(false)

    init(number: UInt64, capacity: Int = 256) {
        self.number = number
        (lines, continuation) = AsyncStream.makeStream(of: ByteBuffer.self, bufferingPolicy: .bufferingOldest(capacity))
    }

    /// Whether a push was refused because the receiver had `capacity` lines unread.
    var overflowed: Bool { overflowedFlag.load(ordering: .relaxed) }

    /// Enqueues one complete line (with its newline). Returns false when the mailbox is closed
    /// or full; a full mailbox closes itself.
    @discardableResult
    func deliver(_ line: ByteBuffer) -> Bool {
        switch continuation.yield(line) {
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

    /// Stops accepting pushes; lines already queued are still handed to the drain task.
    func close() {
        continuation.finish()
    }
}
