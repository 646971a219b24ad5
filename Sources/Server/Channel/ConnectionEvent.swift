import NIOCore

/// What the channel pipeline hands to a connection's async loop: a complete line, or a
/// condition the loop must answer (the protocol decides what to send before closing).
public enum ConnectionEvent: Sendable, Equatable {
    /// One line without its `\n` (and without a `\r` before it).
    case line(ByteBuffer)
    /// A line exceeded the length cap; its bytes were discarded.
    case lineTooLong
    /// Nothing was received for the idle timeout.
    case idle
    /// The server is shutting down: say `bye` and close. For transports whose connection tasks
    /// do not see the service group's graceful shutdown themselves (the web channel's `/ws`).
    case shutdown
}
