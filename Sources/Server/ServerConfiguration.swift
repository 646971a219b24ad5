import Foundation

/// Everything the TLS line-protocol server can be told. Every field has a documented default;
/// only the CLI reads flags and files to fill it in.
public struct ServerConfiguration: Sendable {
    /// Address to bind. Default `127.0.0.1`.
    public var host: String
    /// Port to bind; 0 picks an ephemeral port (tests). Default 7443.
    public var port: Int
    /// Name sent in `welcome`. Default `supportbot`.
    public var serverName: String
    /// Certificate chain and key. Required.
    public var tls: TLS
    /// Resource limits; defaults are the protocol's.
    public var limits: Limits

    /// The default address, `127.0.0.1`.
    public static let defaultHost = "127.0.0.1"
    /// The default port, 7443.
    public static let defaultPort = 7443

    public init(
        host: String = ServerConfiguration.defaultHost, port: Int = ServerConfiguration.defaultPort,
        serverName: String = "supportbot", tls: TLS, limits: Limits = Limits()
    ) {
        self.host = host
        self.port = port
        self.serverName = serverName
        self.tls = tls
        self.limits = limits
    }

    /// TLS material, as PEM text (the CLI reads the files).
    public struct TLS: Sendable {
        /// The server certificate followed by any intermediates, PEM.
        public var certificateChainPEM: String
        /// The server's private key, PEM.
        public var privateKeyPEM: String
        /// When set, clients must present a certificate signed by one of these CAs (PEM).
        public var clientCAPEM: String?

        public init(certificateChainPEM: String, privateKeyPEM: String, clientCAPEM: String? = nil) {
            self.certificateChainPEM = certificateChainPEM
            self.privateKeyPEM = privateKeyPEM
            self.clientCAPEM = clientCAPEM
        }
    }

    /// Per-connection and server-wide limits (protocol.md, "Limits and errors").
    public struct Limits: Sendable {
        /// Longest accepted line in bytes, excluding the newline. Default 64 KiB.
        public var maxLineLength: Int = 64 * 1024
        /// Longest accepted message text in characters. Default 8,000.
        public var maxMessageLength: Int = 8_000
        /// Time allowed for the TLS handshake. Default 10 s.
        public var handshakeTimeout: Duration = .seconds(10)
        /// A connection with no request for this long is closed. Default 300 s.
        public var idleTimeout: Duration = .seconds(300)
        /// Connections served at once; more are refused with `busy`. Default 1,024.
        public var maxConnections: Int = 1_024
        /// Connections from one IP address in TLS handshake at once; more are closed before any
        /// TLS work. Default 128: room for an office behind one NAT address reconnecting at once
        /// (or `supportbot load` opening 100 connections), while one address holding half-open
        /// handshakes can take at most an eighth of the default connection cap.
        public var maxHandshakesPerAddress: Int = 128
        /// Connections open from one IP address at once (handshaking ones included); more are
        /// closed at once. Default 256 (offices behind one NAT share an address).
        public var maxConnectionsPerAddress: Int = 256
        /// Failed sign-ins (`hello`, `/token`) one IP address may make per minute, in a burst or
        /// spread out; beyond it every sign-in from that address is refused with `rate_limited`
        /// until the allowance refills. Default 10.
        public var signInFailuresPerMinute: Int = 10
        /// Sustained requests per second per connection. Default 20.
        public var ratePerSecond: Double = 20
        /// Requests a connection may send in a burst. Default 40.
        public var rateBurst: Double = 40
        /// A client whose pending output does not drain for this long is closed. Default 10 s.
        public var writeStallTimeout: Duration = .seconds(10)
        /// Bytes of unsent output above which a connection stops being read from. Default 256 KiB.
        public var writeBufferHighWater: Int = 256 * 1024
        /// Hard cap on a connection's unsent output: a connection that gets more output while
        /// more than this much is still unsent is closed. A single response may exceed it (a long
        /// export to a client that reads); queued output on top of it may not. Default 4 MiB.
        public var maxPendingOutputBytes: Int = 4 * 1024 * 1024
        /// Decoded lines queued ahead of processing before the socket stops being read. Default 8.
        public var inboundQueueDepth: Int = 8

        public init() {}
    }
}
