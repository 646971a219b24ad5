import AsyncAlgorithms
import HummingbirdWebSocket
import Logging
import NIOCore
import Server
import Synchronization

/// `/ws`: one WebSocket connection served by the line server's own protocol implementation
/// (`ProtocolEndpoint`). Each text frame (or fragmented message) is one request line; each
/// response, delta and push goes out as one text frame. The limits are the line protocol's: a
/// message over `maxLineLength` bytes gets `line_too_long` and the connection closes; no request
/// for `idleTimeout` gets `bye` with reason `idle`.
enum WebSocketSession {
    static func serve(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, endpoint: ProtocolEndpoint, peer: String,
        address: String,
        registry: WebSocketRegistry
    ) async {
        let limits = endpoint.context.configuration.limits
        // One event at a time: the reader waits until the session has taken each one, so a
        // client that floods is read no faster than it is served (as on the line server).
        let events = AsyncChannel<ConnectionEvent>()
        let registration = registry.register(events)
        defer { registry.unregister(registration) }
        let activity = ActivityClock()
        let output = SessionOutput(
            line: { text in try await outbound.write(.text(text)) },
            block: { text in try await outbound.write(.text(text)) }
        )
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await readMessages(inbound, maxLength: limits.maxLineLength, into: events, activity: activity)
            }
            group.addTask {
                await watchIdle(timeout: limits.idleTimeout, activity: activity, events: events)
            }
            do {
                try await endpoint.serve(
                    inbound: events, output: output, peer: peer, address: address, jsonOnly: true,
                    close: {
                        // A receiver that stopped reading its pushes: end the session's input.
                        events.finish()
                    })
            } catch {
                endpoint.context.logger.debug(
                    "connection.closed.error", metadata: ["connection.peer": "\(peer)", "error": "\(error)"])
            }
            events.finish()
            group.cancelAll()
        }
    }

    /// Reassembles messages from frames (text or binary, possibly fragmented) up to `maxLength`
    /// bytes and hands each to the session.
    private static func readMessages(
        _ inbound: WebSocketInboundStream, maxLength: Int, into events: AsyncChannel<ConnectionEvent>,
        activity: ActivityClock
    ) async {
        var message = ByteBuffer()
        do {
            for try await frame in inbound {
                activity.touch()
                var data = frame.data
                switch frame.opcode {
                case .text, .binary: message = data
                case .continuation: message.writeBuffer(&data)
                }
                if message.readableBytes > maxLength {
                    await events.send(.lineTooLong)
                    break
                }
                if frame.fin {
                    await events.send(.line(message))
                    message = ByteBuffer()
                }
            }
        } catch {
            // The stream failed (the peer went away); the session ends below.
        }
        events.finish()
    }

    /// Sends `.idle` once no message has arrived for `timeout`.
    private static func watchIdle(timeout: Duration, activity: ActivityClock, events: AsyncChannel<ConnectionEvent>) async {
        while !Task.isCancelled {
            let remaining = timeout - activity.sinceLastMessage()
            if remaining <= .zero {
                await events.send(.idle)
                return
            }
            do {
                try await Task.sleep(for: remaining)
            } catch {
                return
            }
        }
    }
}

/// When the last message arrived, readable from the idle watch while the reader updates it.
private final class ActivityClock: Sendable {
    private let start = ContinuousClock.now
    private let lastNanoseconds = Atomic<Int64>(0)

    func touch() {
        lastNanoseconds.store(Self.nanoseconds(start.duration(to: .now)), ordering: .relaxed)
    }

    func sinceLastMessage() -> Duration {
        start.duration(to: .now) - .nanoseconds(lastNanoseconds.load(ordering: .relaxed))
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
