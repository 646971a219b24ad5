import Conversations
import Logging
import NIOCore
import Prometheus
import ServiceLifecycle
import SupportCore
import Synchronization

/// What every connection shares: configuration, the conversation service and metrics.
package struct ServerContext: Sendable {
    package let configuration: ServerConfiguration
    package let service: ConversationService
    package let logger: Logger
    package let metrics: ServerMetrics
    /// Per-address limits of the listener (connections, handshakes, failed sign-ins).
    package let peers: PeerGuard
}

/// One client connection's protocol state and its request loop: turns lines into calls on its
/// `ConversationSession` and results into lines. Lives in the connection's own task, so it
/// needs no locking; requests are handled one at a time, in order.
final class ConnectionSession {
    /// JSON lines or text mode, decided by the first non-blank character a client sends.
    enum Mode: Sendable { case undecided, json, text }

    let context: ServerContext
    /// The transport's writer (line server or WebSocket).
    let output: SessionOutput
    /// The conversation use case for this connection.
    let session: ConversationSession
    /// Shared with the connection's push drain, which encodes events for the current mode.
    let modeCell: ModeCell
    var mode: Mode {
        get { modeCell.value }
        set { modeCell.value = newValue }
    }
    /// Set by a request that ends the connection (`/quit`, too many failed authentications).
    var closeRequested = false
    /// Failed `hello`s and `/token`s on this connection.
    private var authenticationFailures = 0
    /// Failed authentications after which the connection is closed.
    static let maxAuthenticationFailures = 3
    /// When the line being handled was taken up; reply latency is measured from here.
    var lineReceivedAt = ContinuousClock.now
    private var limiter: TokenBucket
    private let parser: RequestParser

    /// The client's IP address, for the per-address sign-in limit.
    let address: String

    init(context: ServerContext, output: SessionOutput, session: ConversationSession, modeCell: ModeCell, address: String) {
        self.context = context
        self.address = address
        self.modeCell = modeCell
        self.output = output
        self.session = session
        let limits = context.configuration.limits
        self.limiter = TokenBucket(rate: limits.ratePerSecond, burst: limits.rateBurst)
        self.parser = RequestParser(maxMessageLength: limits.maxMessageLength)
    }

    var logger: Logger { session.logger }

    /// Serves the connection until the client leaves, breaks the protocol fatally, idles out, or
    /// the server shuts down gracefully (requests in progress finish first).
    func run<Inbound: AsyncSequence & Sendable>(inbound: Inbound) async throws where Inbound.Element == ConnectionEvent {
        for try await event in inbound.cancelOnGracefulShutdown() {
            switch event {
            case .line(let line):
                try await handle(line: line)
                if closeRequested { return }
            case .lineTooLong:
                let limit = context.configuration.limits.maxLineLength
                try await sendError(id: nil, RequestError(.lineTooLong, "a line is longer than \(limit) bytes; closing"))
                return
            case .idle:
                try await sendBye(reason: "idle")
                return
            case .shutdown:
                try await sendBye(reason: "shutdown")
                return
            }
        }
        if Task.isShuttingDownGracefully {
            try await sendBye(reason: "shutdown")
        }
    }

    private func handle(line: ByteBuffer) async throws {
        lineReceivedAt = .now
        let bytes = line.readableBytesView
        guard let first = bytes.first(where: { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") }) else {
            return
        }
        if mode == .undecided {
            mode = first == UInt8(ascii: "{") ? .json : .text
        }
        let rateLimited = RequestError(
            .rateLimited, "too many requests; slow down (limit \(Int(context.configuration.limits.ratePerSecond))/s)")
        guard let text = String(validating: bytes, as: UTF8.self) else {
            try await sendError(id: nil, limiter.take() ? RequestError(.badEncoding, "the line is not valid UTF-8") : rateLimited)
            return
        }
        switch mode {
        case .json, .undecided:
            // Parsed before the rate limit, so that `rate_limited` carries the request's id.
            let (id, parsed) = parser.parse(Array(bytes))
            guard limiter.take() else {
                try await sendError(id: id, rateLimited)
                return
            }
            try await handleJSON(id: id, parsed)
        case .text:
            guard limiter.take() else {
                try await sendError(id: nil, rateLimited)
                return
            }
            try await handleText(text)
        }
    }

    private func handleJSON(id: RequestID?, _ parsed: Result<Request, RequestError>) async throws {
        do {
            let request = try parsed.get()
            context.metrics.request(request.typeName)
            try await respond(to: request, id: id)
        } catch let error as RequestError {
            if case .failure = parsed { context.metrics.request("invalid") }
            try await sendError(id: id, error)
        }
    }

    /// Counts an answered message and records its reply latency, once its reply is written.
    func recordReply(_ answer: ChatAnswer) {
        context.metrics.answered(answer.route)
        context.metrics.replyLatency.record(lineReceivedAt.duration(to: .now))
    }

    /// Authenticates through the conversation session; a failure is logged with the peer,
    /// counted, leaves the connection unauthenticated, and the third one closes the connection.
    /// An address that used up its failed sign-ins (`signInFailuresPerMinute`) is refused with
    /// `rate_limited` before the token is looked at, whatever the token.
    func authenticate(token: String?) async throws(RequestError) -> Client {
        guard context.peers.maySignIn(from: address) else {
            context.metrics.authenticationFailures.increment()
            logger.warning("auth.throttled")
            session.signOut()
            throw RequestError(
                .rateLimited,
                "too many failed sign-ins from your address; try again in \(context.peers.secondsUntilSignIn(from: address)) s")
        }
        do {
            return try await session.authenticate(token: token)
        } catch  where error.code == .unauthorized {
            context.peers.recordFailedSignIn(from: address)
            authenticationFailures += 1
            context.metrics.authenticationFailures.increment()
            logger.warning(
                "auth.failed", metadata: ["auth.failures": "\(authenticationFailures)", "error.message": "\(error.message)"])
            guard authenticationFailures < Self.maxAuthenticationFailures else {
                closeRequested = true
                context.metrics.dropped(.authenticationFailures)
                throw RequestError(.unauthorized, "\(error.message); too many failed attempts, closing the connection")
            }
            throw error
        }
    }

    // MARK: Output

    func writeLine(_ text: String) async throws {
        try await output.line(text)
    }

    func sendError(id: RequestID?, _ error: RequestError) async throws {
        logger.debug("request.refused", metadata: ["error.code": "\(error.code)"])
        context.metrics.error(error.code)
        switch mode {
        case .json, .undecided: try await writeLine(WireEncoding.error(id: id, error))
        case .text: try await writeText(["error: \(error.message) (\(error.code))"])
        }
    }

    private func sendBye(reason: String) async throws {
        switch mode {
        case .json:
            var object = WireEncoding.start("bye", id: nil)
            object.field("reason", reason)
            try await writeLine(object.text)
        case .text:
            try await writeText([
                reason == "idle" ? "Closing this idle connection. Goodbye." : "The server is shutting down. Goodbye."
            ])
        case .undecided:
            break
        }
    }
}

/// A connection's mode, readable from its push drain while its request loop sets it.
package final class ModeCell: Sendable {
    private let mode: Mutex<ConnectionSession.Mode>

    init(_ mode: ConnectionSession.Mode) {
        self.mode = Mutex(mode)
    }

    var value: ConnectionSession.Mode {
        get { mode.withLock { $0 } }
        set { mode.withLock { $0 = newValue } }
    }
}
