import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Server
import Synchronization

/// A TLS client on a bare NIO channel whose writes return only once their bytes are in the socket
/// (so the test process itself never queues more than one write), and which either keeps reading
/// (keeping the first MiB it receives) or, for backpressure tests, never reads after connecting:
/// its socket's receive buffer fills and the server's output stops draining.
public final class RawTLSClient: Sendable {
    private let channel: any Channel
    private let received: ReceivedBytes

    private init(channel: any Channel, received: ReceivedBytes) {
        self.channel = channel
        self.received = received
    }

    /// Connects to `127.0.0.1:port` and exchanges a `ping` (so TLS is up and the connection is
    /// in JSON mode); with `reading: false` it then stops reading.
    /// - Parameter from: the local address to connect from (another loopback address, such as
    ///   `127.0.0.2`, is another client address to the server).
    public static func connect(
        port: Int, from localAddress: String? = nil, tls: ClientTLSOptions = TestCertificates.clientTLS, reading: Bool
    ) async throws -> RawTLSClient {
        var configuration = TLSConfiguration.makeClientConfiguration()
        if case .certificateAuthority(let pem) = tls.trust {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)))
        }
        let sslContext = try NIOSSLContext(configuration: configuration)
        let hostname = tls.serverHostname
        let group = MultiThreadedEventLoopGroup.singleton
        let firstRead = group.any().makePromise(of: Void.self)
        let received = ReceivedBytes()
        var bootstrap = ClientBootstrap(group: group)
        if let localAddress { bootstrap = bootstrap.bind(to: try SocketAddress(ipAddress: localAddress, port: 0)) }
        let channel =
            try await bootstrap
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        try NIOSSLClientHandler(context: sslContext, serverHostname: hostname))
                    try channel.pipeline.syncOperations.addHandler(Collector(firstRead: firstRead, received: received))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(ByteBuffer(string: "{\"type\":\"ping\"}\n")).get()
        try await firstRead.futureResult.get()
        if !reading {
            try await channel.setOption(.autoRead, value: false).get()
        }
        return RawTLSClient(channel: channel, received: received)
    }

    /// Writes `line` and a newline; returns once the bytes are in the socket (so it blocks while
    /// the server does not read), throws once the connection is gone.
    public func send(_ line: String) async throws {
        try await sendRaw(Array(line.utf8) + [UInt8(ascii: "\n")])
    }

    /// Writes bytes as they are; returns once they are in the socket.
    public func sendRaw(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// The complete lines received so far (up to the first MiB), the initial `pong` included.
    public var receivedLines: [String] {
        received.lines
    }

    /// Closes the connection from this side.
    public func close() async {
        try? await channel.close().get()
    }

    /// Reads (again) and waits up to `timeout` for the server to close the connection; returns
    /// whether it did.
    public func waitUntilClosedByServer(timeout: Duration) async -> Bool {
        let channel = self.channel
        try? await channel.setOption(.autoRead, value: true).get()
        channel.read()
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                try? await channel.closeFuture.get()
                return true
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}

/// The first MiB a `RawTLSClient` received.
private final class ReceivedBytes: Sendable {
    static let cap = 1024 * 1024
    private let bytes = Mutex<[UInt8]>([])

    func append(_ buffer: ByteBuffer) {
        bytes.withLock { bytes in
            bytes += buffer.readableBytesView.prefix(max(0, Self.cap - bytes.count))
        }
    }

    var lines: [String] {
        bytes.withLock { bytes in
            let complete = bytes.lastIndex(of: UInt8(ascii: "\n")).map { bytes[...$0] } ?? []
            return complete.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).dropLast()
                .map { String(decoding: $0, as: UTF8.self) }
        }
    }
}

/// Keeps what is read, and completes a promise on the first read (or when the connection fails).
private final class Collector: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    private let firstRead: EventLoopPromise<Void>
    private let received: ReceivedBytes
    private var done = false

    init(firstRead: EventLoopPromise<Void>, received: ReceivedBytes) {
        self.firstRead = firstRead
        self.received = received
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        received.append(unwrapInboundIn(data))
        complete(.success(()))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        complete(.failure(error))
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        complete(.failure(ChannelError.eof))
        context.fireChannelInactive()
    }

    private func complete(_ result: Result<Void, any Error>) {
        guard !done else { return }
        done = true
        firstRead.completeWith(result)
    }
}

/// Plain TCP helpers: a connection that sends nothing, and a one-shot HTTP/1.1 GET.
public enum PlainTCP {
    /// Connects to `127.0.0.1:port` and holds the connection open without sending a byte (a
    /// half-open TLS handshake, as the server sees it); close the channel to end it.
    public static func hold(port: Int) async throws -> any Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
    }

    /// Connects to `127.0.0.1:port`, sends `bytes` (possibly none) and returns what the server
    /// sent until it closed the connection, or nil when it had not closed it within `timeout`.
    public static func exchange(port: Int, sending bytes: String = "", timeout: Duration) async throws -> [UInt8]? {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            if !bytes.isEmpty { try await outbound.write(ByteBuffer(string: bytes)) }
            return await withTaskGroup(of: [UInt8]?.self) { group in
                group.addTask {
                    var received: [UInt8] = []
                    do {
                        for try await chunk in inbound { received += chunk.readableBytesView }
                    } catch {
                        // A reset ends the exchange as a close does.
                    }
                    return received
                }
                group.addTask {
                    try? await Task.sleep(for: timeout)
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first
            }
        }
    }

    /// `GET path` over HTTP/1.1; returns the status code and the body.
    public static func httpGet(port: Int, path: String, method: String = "GET") async throws -> (status: Int, body: String) {
        let request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: supportbot-tests\r\n\r\n"
        guard let bytes = try await exchange(port: port, sending: request, timeout: .seconds(30)) else {
            throw HarnessError("the metrics endpoint did not answer \(path)")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let headEnd = text.range(of: "\r\n\r\n"),
            let status = text.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap({ Int($0) })
        else {
            throw HarnessError("not an HTTP response: \(text.prefix(200))")
        }
        return (status, String(text[headEnd.upperBound...]))
    }
}

/// The process's resident set size, from `/proc/self/status` (Linux).
public enum ProcessMemory {
    /// `VmRSS` in bytes, or nil where `/proc` is unavailable.
    public static func residentBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else {
            return nil
        }
        return kilobytes * 1024
    }
}

/// Samples the process's RSS in the background and remembers the highest value seen.
public final class MemoryPeak: Sendable {
    private let task: Task<Int, Never>

    /// Starts sampling every `interval`.
    public init(every interval: Duration = .milliseconds(10)) {
        task = Task.detached {
            var peak = ProcessMemory.residentBytes() ?? 0
            while !Task.isCancelled {
                peak = max(peak, ProcessMemory.residentBytes() ?? 0)
                try? await Task.sleep(for: interval)
            }
            return max(peak, ProcessMemory.residentBytes() ?? 0)
        }
    }

    /// Stops sampling and returns the highest RSS seen, in bytes.
    public func stop() async -> Int {
        task.cancel()
        return await task.value
    }
}
