import Conversations
import Prometheus
import SupportCore

/// The server's counters, gauges and latency histogram, kept in a `PrometheusCollectorRegistry`
/// that the caller owns (no global `MetricsSystem`, so servers in one process, such as parallel
/// tests, never share numbers). `MetricsServer` exposes the registry over HTTP.
///
/// Every label value the server can produce is registered up front, so each series exists
/// (at 0) from the start and the hot path only increments atomics.
public final class ServerMetrics: Sendable {
    /// The registry the metrics live in.
    public let registry: PrometheusCollectorRegistry

    /// Why the server closed a connection on its own (`supportbot_connections_dropped_total`).
    public enum DropReason: String, Sendable, CaseIterable {
        /// The TLS handshake did not finish within the handshake timeout.
        case handshakeTimeout = "handshake_timeout"
        /// Output did not drain for the write-stall timeout.
        case writeStall = "write_stall"
        /// Output was queued while more than the pending-output cap was still unsent.
        case pendingOutputCap = "pending_output_cap"
        /// The connection left its pushed lines (agent replies, customer messages) unread.
        case pushOverflow = "push_overflow"
        /// The connection failed to authenticate `ConnectionSession.maxAuthenticationFailures` times.
        case authenticationFailures = "authentication_failures"
        /// The client's token was revoked while the connection was open.
        case tokenRevoked = "token_revoked"
    }

    /// Request types counted by `supportbot_requests_total`: every JSON request type, `invalid`
    /// for a JSON line that is not a valid request, and text mode's messages and commands.
    public static let requestTypes = [
        "hello", "start", "message", "history", "export", "feedback", "end", "ping", "queue", "join", "agent_message",
        "invalid", "text_message", "text_command",
    ]

    /// Error codes counted by `supportbot_errors_total`.
    public static let errorCodes: [RequestError.Code] = [
        .badJSON, .badEncoding, .unknownType, .missingField, .invalidField, .unauthorized, .notFound, .lineTooLong,
        .rateLimited, .busy, .unavailable, .internal,
    ]

    /// Upper bounds of the reply-latency buckets.
    public static let latencyBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
        .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2_500), .seconds(5),
        .seconds(10),
    ]

    let connectionsOpen: Gauge
    let connectionsHandshaking: Gauge
    let connectionsAccepted: Counter
    let connectionsRefused: Counter
    let acceptErrors: Counter
    let authenticationFailures: Counter
    let bytesReceived: Counter
    let bytesSent: Counter
    let replyLatency: DurationHistogram
    private let requests: [String: Counter]
    private let errors: [String: Counter]
    private let answered: [ChatRoute: Counter]
    private let drops: [DropReason: Counter]
    private let perAddressRefusals: [PeerGuard.Refusal: Counter]

    /// - Parameter registry: where to register the metrics; a fresh one by default.
    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        func name(_ metric: String, unit: String = "", _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "supportbot", metricName: metric, unitName: unit, helpText: help)
        }
        connectionsOpen = registry.makeGauge(descriptor: name("connections_open", "Client connections being served now."))
        connectionsHandshaking = registry.makeGauge(
            descriptor: name("connections_handshaking", "Client connections accepted and still in TLS handshake."))
        connectionsAccepted = registry.makeCounter(
            descriptor: name("connections_accepted", unit: "total", "Client connections admitted since start."))
        connectionsRefused = registry.makeCounter(
            descriptor: name("connections_refused", unit: "total", "Client connections refused with busy at the connection limit."))
        acceptErrors = registry.makeCounter(
            descriptor: name(
                "accept_errors", unit: "total",
                "Connections lost while being accepted or set up (e.g. out of file descriptors); the server keeps accepting."))
        authenticationFailures = registry.makeCounter(
            descriptor: name(
                "authentication_failures", unit: "total", "hello or /token with an unknown, revoked, missing or admin token."))
        bytesReceived = registry.makeCounter(
            descriptor: name("received", unit: "bytes_total", "Bytes read from client sockets (TLS records included)."))
        bytesSent = registry.makeCounter(
            descriptor: name("sent", unit: "bytes_total", "Bytes written to client sockets (TLS records included)."))
        replyLatency = registry.makeDurationHistogram(
            descriptor: name("reply_latency", unit: "seconds", "Time from taking a customer message up to writing its reply."),
            buckets: Self.latencyBuckets)
        let requestName = name("requests", unit: "total", "Requests handled, by type.")
        requests = Dictionary(
            uniqueKeysWithValues: Self.requestTypes.map {
                ($0, registry.makeCounter(descriptor: requestName, labels: [("type", $0)]))
            })
        let errorName = name("errors", unit: "total", "Error responses sent, by code.")
        errors = Dictionary(
            uniqueKeysWithValues: Self.errorCodes.map {
                ($0.rawValue, registry.makeCounter(descriptor: errorName, labels: [("code", $0.rawValue)]))
            })
        let answeredName = name("messages_answered", unit: "total", "Customer messages answered and committed, by route.")
        answered = Dictionary(
            uniqueKeysWithValues: ChatRoute.allCases.map {
                ($0, registry.makeCounter(descriptor: answeredName, labels: [("route", $0.rawValue)]))
            })
        let dropName = name("connections_dropped", unit: "total", "Connections the server closed on its own, by reason.")
        drops = Dictionary(
            uniqueKeysWithValues: DropReason.allCases.map {
                ($0, registry.makeCounter(descriptor: dropName, labels: [("reason", $0.rawValue)]))
            })
        let perAddressName = name(
            "connections_refused_per_address", unit: "total",
            "Connections closed at accept because their IP address was at a per-address limit, by limit.")
        perAddressRefusals = Dictionary(
            uniqueKeysWithValues: PeerGuard.Refusal.allCases.map {
                ($0, registry.makeCounter(descriptor: perAddressName, labels: [("limit", $0.rawValue)]))
            })
    }

    /// The metrics in the Prometheus text exposition format (version 0.0.4).
    public func exposition() -> [UInt8] {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(8_192)
        registry.emit(into: &buffer)
        return buffer
    }

    func request(_ type: String) {
        requests[type]?.increment()
    }

    func error(_ code: RequestError.Code) {
        errors[code.rawValue]?.increment()
    }

    func answered(_ route: ChatRoute) {
        answered[route]?.increment()
    }

    func refusedPerAddress(_ refusal: PeerGuard.Refusal) {
        perAddressRefusals[refusal]?.increment()
    }

    package func dropped(_ reason: DropReason) {
        drops[reason]?.increment()
    }
}
