import NIOCore
import NIOPosix
import NIOSSL

/// How a client trusts the server's certificate.
public struct ClientTLSOptions: Sendable {
    public enum Trust: Sendable {
        /// Verify against this CA certificate (PEM), e.g. `state/tls/ca.pem`.
        case certificateAuthority(pem: String)
        /// Verify against the system's trust store.
        case system
        /// Accept any certificate (development only; the CLI warns).
        case insecure
    }

    public var trust: Trust
    /// Name to verify the certificate against and send as SNI; defaults to the host connected to.
    public var serverHostname: String?
    /// Highest TLS version to offer; nil = newest. Tests use it to prove old versions are refused.
    public var maximumVersion: TLSVersion?
    /// A client certificate chain and key (PEM) for servers that verify clients.
    public var clientCertificatePEM: String?
    public var clientPrivateKeyPEM: String?

    public init(
        trust: Trust, serverHostname: String? = nil, maximumVersion: TLSVersion? = nil,
        clientCertificatePEM: String? = nil, clientPrivateKeyPEM: String? = nil
    ) {
        self.trust = trust
        self.serverHostname = serverHostname
        self.maximumVersion = maximumVersion
        self.clientCertificatePEM = clientCertificatePEM
        self.clientPrivateKeyPEM = clientPrivateKeyPEM
    }
}

/// A connected client's line-oriented view of the socket: send a line, read a line.
/// Used by `supportbot chat`, `supportbot load` and the tests. Not shared across tasks.
public final class LineConnection {
    private var inbound: NIOAsyncChannelInboundStream<ConnectionEvent>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    init(
        inbound: NIOAsyncChannelInboundStream<ConnectionEvent>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) {
        self.inbound = inbound
        self.outbound = outbound
    }

    /// Sends `line` followed by `\n`.
    public func send(_ line: String) async throws {
        var buffer = ByteBuffer(string: line)
        buffer.writeInteger(UInt8(ascii: "\n"))
        try await outbound.write(buffer)
    }

    /// Sends raw bytes as they are (tests use it for invalid UTF-8 and partial lines).
    public func sendRaw(_ bytes: [UInt8]) async throws {
        try await outbound.write(ByteBuffer(bytes: bytes))
    }

    /// The next line from the server, or nil once it has closed the connection.
    public func readLine() async throws -> String? {
        guard let event = try await inbound.next() else { return nil }
        switch event {
        case .line(let buffer):
            return String(decoding: buffer.readableBytesView, as: UTF8.self)
        case .lineTooLong:
            throw LineClientError("the server sent a line longer than the client accepts")
        case .idle, .shutdown:
            return try await readLine()
        }
    }
}

/// A failure of the client side of the protocol.
public struct LineClientError: Error, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// Opens TLS connections to a SupportBot server.
public enum LineClient {
    /// Connects, runs `body` with the connection, and closes it afterwards.
    public static func withConnection<Result: Sendable>(
        host: String, port: Int, tls: ClientTLSOptions,
        maxLineLength: Int = 64 * 1024 * 1024,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        _ body: (LineConnection) async throws -> Result
    ) async throws -> Result {
        let sslContext = try makeSSLContext(tls)
        let hostname = tls.serverHostname ?? host
        let channel = try await ClientBootstrap(group: eventLoopGroup)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(NIOSSLClientHandler(context: sslContext, serverHostname: sniName(hostname)))
                    try sync.addHandler(ByteToMessageHandler(LineFramingDecoder(maxLineLength: maxLineLength)))
                    return try NIOAsyncChannel<ConnectionEvent, ByteBuffer>(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(inboundType: ConnectionEvent.self, outboundType: ByteBuffer.self)
                    )
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(LineConnection(inbound: inbound.makeAsyncIterator(), outbound: outbound))
        }
    }

    static func makeSSLContext(_ options: ClientTLSOptions) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv1
        if let maximumVersion = options.maximumVersion {
            configuration.maximumTLSVersion = maximumVersion
        }
        switch options.trust {
        case .certificateAuthority(let pem):
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)))
        case .system:
            configuration.trustRoots = .default
        case .insecure:
            configuration.certificateVerification = .none
        }
        if let certificate = options.clientCertificatePEM, let key = options.clientPrivateKeyPEM {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certificate.utf8)).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(key.utf8), format: .pem))
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// SNI carries host names only; NIOSSL checks IP addresses against the certificate's IP SANs
    /// when no name is given.
    private static func sniName(_ host: String) -> String? {
        host.allSatisfy { $0.isNumber || $0 == "." || $0 == ":" } ? nil : host
    }
}
