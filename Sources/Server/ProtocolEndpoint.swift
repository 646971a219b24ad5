import Conversations
import Logging
import Prometheus
import ServiceLifecycle
import SupportCore
import Synchronization

/// One implementation of a protocol connection for every transport (the TLS line server and the
/// web channel's `/ws`): the connection cap, metrics, the conversation session, the request loop
/// and the push drain. A transport turns its input into `ConnectionEvent`s and gives a
/// `SessionOutput`; everything the protocol promises happens here.
package final class ProtocolEndpoint: Sendable {
    package let context: ServerContext
    private let activeConnections = Atomic<Int>(0)

    package init(configuration: ServerConfiguration, service: ConversationService, logger: Logger, metrics: ServerMetrics) {
        self.context = ServerContext(
            configuration: configuration, service: service, logger: logger, metrics: metrics,
            peers: PeerGuard(limits: configuration.limits, metrics: metrics))
    }

    /// Connections being served by this endpoint right now.
    package var connectionCount: Int { activeConnections.load(ordering: .relaxed) }

    /// Serves one connection until the client leaves, breaks the protocol fatally, idles out, or
    /// the server shuts down gracefully.
    /// - Parameters:
    ///   - peer: the client's address and port, for logs.
    ///   - address: the client's IP address, for the per-address sign-in limit.
    ///   - jsonOnly: the transport carries JSON requests only (WebSocket); otherwise the first
    ///     character decides between JSON and text mode (the line server).
    ///   - ready: awaited before a refusal is written, so that it survives the close (the line
    ///     server's TLS handshake).
    ///   - close: closes the transport (a receiver that stopped reading its pushes).
    package func serve<Inbound: AsyncSequence & Sendable>(
        inbound: Inbound, output: SessionOutput, peer: String, address: String, jsonOnly: Bool,
        ready: @Sendable () async throws -> Void = {}, close: @escaping @Sendable () -> Void
    ) async throws where Inbound.Element == ConnectionEvent {
        let count = activeConnections.wrappingAdd(1, ordering: .relaxed).newValue
        defer { activeConnections.wrappingSubtract(1, ordering: .relaxed) }
        var connectionLogger = context.logger
        connectionLogger[metadataKey: "connection.peer"] = "\(peer)"
        let logger = connectionLogger
        let conversations = context.service.makeSession(logger: logger)
        defer { conversations.close() }
        let modeCell = ModeCell(jsonOnly ? .json : .undecided)
        let session = ConnectionSession(
            context: context, output: output, session: conversations, modeCell: modeCell, address: address)
        let metrics = context.metrics
        if count > context.configuration.limits.maxConnections {
            metrics.connectionsRefused.increment()
            try await ready()
            try await session.sendError(id: nil, RequestError(.busy, "the server is at its connection limit; try again later"))
            return
        }
        metrics.connectionsAccepted.increment()
        metrics.connectionsOpen.increment()
        defer { metrics.connectionsOpen.decrement() }
        let events = conversations.events
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask {
                await Self.drain(events, mode: modeCell, to: output, close: close, metrics: metrics, logger: logger)
            }
            defer { group.cancelAll() }
            try await session.run(inbound: inbound)
        }
    }

    /// Writes the events other sessions push to this one until the connection ends. A
    /// receiver whose mailbox overflowed is not reading; it is closed like a stalled writer.
    private static func drain(
        _ mailbox: EventMailbox, mode: ModeCell, to output: SessionOutput, close: @Sendable () -> Void,
        metrics: ServerMetrics, logger: Logger
    ) async {
        for await push in mailbox.events {
            do {
                try await PushEncoding.write(push, mode: mode.value, to: output)
            } catch {
                return
            }
        }
        if mailbox.overflowed {
            metrics.dropped(.pushOverflow)
            logger.warning("connection.closed.not_reading")
            close()
        } else if mailbox.revoked {
            // The token was revoked (`token revoke`): say so, then close.
            metrics.dropped(.tokenRevoked)
            logger.notice("connection.closed.token_revoked")
            switch mode.value {
            case .json, .undecided:
                var object = WireEncoding.start("bye", id: nil)
                object.field("reason", "revoked")
                try? await output.line(object.text)
            case .text:
                try? await output.block(TextBlock.render(["Your access has been revoked. Goodbye."]))
            }
            close()
        }
    }
}
