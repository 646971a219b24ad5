import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// A tiny plaintext HTTP/1.1 listener for Prometheus: `GET /metrics` answers the metrics in the
/// text exposition format, any other path 404 and any other method 405. One request per
/// connection (`Connection: close`), request heads capped at 8 KiB and 10 s, at most 32 scrapes
/// at once. A swift-service-lifecycle `Service`: on graceful shutdown it stops accepting.
///
/// The endpoint has no authentication; bind it to loopback (the CLI's default) or a private
/// interface.
public final class MetricsServer: Service, Sendable {
    /// Longest accepted request head (request line and headers).
    static let maxHeadBytes = 8 * 1024
    /// Time allowed to send the request head.
    static let readTimeout: TimeAmount = .seconds(10)
    /// Scrapes served at once; more connections are closed unanswered.
    static let maxConnections = 32

    private let host: String
    private let port: Int
    private let metrics: ServerMetrics
    private let logger: Logger
    private let eventLoopGroup: any EventLoopGroup
    private let onListening: @Sendable (SocketAddress) async -> Void
    private let active = Atomic<Int>(0)

    /// - Parameter onListening: called once the socket is bound (tests read the ephemeral port).
    public init(
        host: String, port: Int, metrics: ServerMetrics, logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onListening: @escaping @Sendable (SocketAddress) async -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.metrics = metrics
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.onListening = onListening
    }

    /// Serves scrapes until graceful shutdown.
    public func run() async throws {
        let server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
        do {
            server = try await ServerBootstrap(group: eventLoopGroup)
                .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                .bind(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: Self.readTimeout))
                        try channel.pipeline.syncOperations.addHandler(CloseOnIdleHandler())
                        return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            throw ServerError(
                .bind, "cannot serve metrics on \(host):\(port): \(error). Pick another address with --metrics."
            )
        }
        if let address = server.channel.localAddress {
            logger.info("metrics.listening", metadata: ["address": "\(address)"])
            await onListening(address)
        }
        try await withThrowingDiscardingTaskGroup { group in
            try await server.executeThenClose { connections in
                for try await connection in connections.cancelOnGracefulShutdown() {
                    guard active.wrappingAdd(1, ordering: .relaxed).newValue <= Self.maxConnections else {
                        active.wrappingSubtract(1, ordering: .relaxed)
                        connection.channel.close(promise: nil)
                        continue
                    }
                    group.addTask {
                        defer { self.active.wrappingSubtract(1, ordering: .relaxed) }
                        await self.serve(connection)
                    }
                }
            }
        }
        logger.info("metrics.stopped")
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head = ByteBuffer()
                for try await chunk in inbound {
                    var chunk = chunk
                    head.writeBuffer(&chunk)
                    if let request = HTTPRequestHead(head.readableBytesView) {
                        try await outbound.write(response(to: request))
                        return
                    }
                    if head.readableBytes > Self.maxHeadBytes {
                        try await outbound.write(
                            Self.plainResponse(status: "431 Request Header Fields Too Large", body: "request head too large\n"))
                        return
                    }
                }
            }
        } catch {
            logger.debug("metrics.connection.error", metadata: ["error": "\(error)"])
        }
    }

    private func response(to request: HTTPRequestHead) -> ByteBuffer {
        guard let method = request.method, let path = request.path else {
            return Self.plainResponse(status: "400 Bad Request", body: "malformed request\n")
        }
        guard path == "/metrics" else {
            return Self.plainResponse(status: "404 Not Found", body: "not found; metrics are at /metrics\n")
        }
        guard method == "GET" || method == "HEAD" else {
            return Self.plainResponse(status: "405 Method Not Allowed", body: "use GET\n", extraHeaders: "Allow: GET, HEAD\r\n")
        }
        let body = metrics.exposition()
        var buffer = ByteBuffer()
        buffer.reserveCapacity(body.count + 200)
        buffer.writeString(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
                + "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
        )
        if method == "GET" { buffer.writeBytes(body) }
        return buffer
    }

    private static func plainResponse(status: String, body: String, extraHeaders: String = "") -> ByteBuffer {
        ByteBuffer(
            string: "HTTP/1.1 \(status)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\n"
                + extraHeaders + "Connection: close\r\n\r\n" + body
        )
    }
}

/// The request line of an HTTP/1.x request head, once the head is complete (ends with an empty
/// line). Headers are not needed: no request this endpoint serves has a body.
struct HTTPRequestHead {
    /// The method, or nil when the request line is malformed.
    var method: String?
    /// The path without its query string, or nil when the request line is malformed.
    var path: String?

    /// Nil while `bytes` does not yet hold a complete head.
    init?(_ bytes: ByteBufferView) {
        let terminator: [UInt8] = Array("\r\n\r\n".utf8)
        let array = Array(bytes)
        guard array.count >= 4,
            let end = (0...(array.count - 4)).first(where: { array[$0..<$0 + 4].elementsEqual(terminator) })
        else {
            return nil
        }
        let lineEnd = array[..<end].firstIndex(of: UInt8(ascii: "\r")) ?? end
        let parts = array[..<lineEnd].split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].starts(with: Array("HTTP/1.".utf8)), parts[1].first == UInt8(ascii: "/") else {
            return
        }
        method = String(decoding: parts[0], as: UTF8.self)
        let target = String(decoding: parts[1], as: UTF8.self)
        path = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init)
    }
}

/// Closes a metrics connection that has not sent its request within the read timeout.
private final class CloseOnIdleHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
