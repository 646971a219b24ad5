import Crypto
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Server

/// What the protocol tests need of a connection, whatever carries it: the line server's TLS
/// lines (`LineConnection`) or the web channel's WebSocket frames (`WebSocketTestConnection`).
public protocol ProtocolTestConnection: AnyObject {
    /// Sends one request (a line; a text frame).
    func send(_ line: String) async throws
    /// Sends raw bytes as one request: on the line server exactly these bytes (end them with
    /// `\n`); on the WebSocket one text frame with these bytes, a final `\n` dropped.
    func sendRaw(_ bytes: [UInt8]) async throws
    /// The next response or push (a line; a text message), nil once the server closed.
    func readLine() async throws -> String?
}

extension LineConnection: ProtocolTestConnection {}

/// Which channel a protocol test talks over.
public enum Transport: String, CaseIterable, Sendable, CustomStringConvertible {
    case line, webSocket

    public var description: String { self == .line ? "line protocol" : "WebSocket /ws" }
}

/// The server refused the WebSocket upgrade with this HTTP status.
public struct WebSocketUpgradeRefused: Error, CustomStringConvertible {
    public let status: Int
    public var description: String { "the server refused the WebSocket upgrade with HTTP \(status)" }
}

/// A WebSocket client over real TLS for the tests, written against RFC 6455 on raw bytes so
/// that it can send what a library would not (fragments, invalid UTF-8, oversized frames) and
/// sees every frame the server sends, even one right behind the upgrade response.
public final class WebSocketTestConnection: ProtocolTestConnection {
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private var buffer: ByteBuffer
    private var closed = false

    init(
        inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>,
        buffered: ByteBuffer
    ) {
        self.inbound = inbound
        self.outbound = outbound
        self.buffer = buffered
    }

    public func send(_ line: String) async throws {
        try await sendFrame(opcode: 0x1, payload: Array(line.utf8))
    }

    public func sendRaw(_ bytes: [UInt8]) async throws {
        var bytes = bytes
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        try await sendFrame(opcode: 0x1, payload: bytes)
    }

    /// Sends one message as several frames (a text frame, then continuations).
    public func sendFragmented(_ parts: [String]) async throws {
        for (index, part) in parts.enumerated() {
            try await sendFrame(opcode: index == 0 ? 0x1 : 0x0, payload: Array(part.utf8), fin: index == parts.count - 1)
        }
    }

    public func readLine() async throws -> String? {
        var message: [UInt8] = []
        while let frame = try await readFrame() {
            switch frame.opcode {
            case 0x1, 0x2, 0x0:
                message += frame.payload
                if frame.fin { return String(decoding: message, as: UTF8.self) }
            case 0x8:
                closed = true
                try? await sendFrame(opcode: 0x8, payload: Array(frame.payload.prefix(2)))
                return nil
            case 0x9:
                try await sendFrame(opcode: 0xA, payload: frame.payload)
            default:
                continue
            }
        }
        return nil
    }

    /// Client frames are masked (RFC 6455 §5.3).
    private func sendFrame(opcode: UInt8, payload: [UInt8], fin: Bool = true) async throws {
        var frame = ByteBuffer()
        frame.writeInteger((fin ? 0x80 : 0) | opcode)
        switch payload.count {
        case ..<126: frame.writeInteger(UInt8(0x80 | payload.count))
        case ..<65_536:
            frame.writeInteger(UInt8(0x80 | 126))
            frame.writeInteger(UInt16(payload.count))
        default:
            frame.writeInteger(UInt8(0x80 | 127))
            frame.writeInteger(UInt64(payload.count))
        }
        let mask = (0..<4).map { _ in UInt8.random(in: 0...255) }
        frame.writeBytes(mask)
        frame.writeBytes(payload.enumerated().map { $0.element ^ mask[$0.offset % 4] })
        try await outbound.write(frame)
    }

    private func readFrame() async throws -> (opcode: UInt8, fin: Bool, payload: [UInt8])? {
        while !closed {
            if let frame = parseFrame() { return frame }
            guard var chunk = try await nextChunk() else { return nil }
            buffer.writeBuffer(&chunk)
        }
        return nil
    }

    private func nextChunk() async throws -> ByteBuffer? {
        do {
            return try await inbound.next()
        } catch let error as NIOSSLError where error == .uncleanShutdown {
            return nil
        }
    }

    /// A whole frame from the front of `buffer` (server frames are not masked), or nil.
    private func parseFrame() -> (opcode: UInt8, fin: Bool, payload: [UInt8])? {
        let bytes = Array(buffer.readableBytesView)
        guard bytes.count >= 2 else { return nil }
        var length = Int(bytes[1] & 0x7F)
        var offset = 2
        if length == 126 {
            guard bytes.count >= 4 else { return nil }
            length = Int(bytes[2]) << 8 | Int(bytes[3])
            offset = 4
        } else if length == 127 {
            guard bytes.count >= 10 else { return nil }
            length = bytes[2..<10].reduce(0) { $0 << 8 | Int($1) }
            offset = 10
        }
        guard bytes.count >= offset + length else { return nil }
        buffer.moveReaderIndex(forwardBy: offset + length)
        return (bytes[0] & 0x0F, bytes[0] & 0x80 != 0, Array(bytes[offset..<(offset + length)]))
    }

    /// Connects to `wss://127.0.0.1:PORT/ws` trusting the test CA (sending `Origin` when given),
    /// runs `body`, then closes. Throws `WebSocketUpgradeRefused` when the upgrade is refused.
    public static func withConnection<Result: Sendable>(
        port: Int, origin: String? = nil, _ body: (WebSocketTestConnection) async throws -> Result
    ) async throws -> Result {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(
            try NIOSSLCertificate.fromPEMBytes(Array(TestCertificates.shared.caCertificatePEM.utf8)))
        let sslContext = try NIOSSLContext(configuration: tls)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        NIOSSLClientHandler(context: sslContext, serverHostname: "localhost"))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            let key = Data((0..<16).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
            var request =
                "GET /ws HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n"
            if let origin { request += "Origin: \(origin)\r\n" }
            try await outbound.write(ByteBuffer(string: request + "\r\n"))
            var iterator = inbound.makeAsyncIterator()
            var received = ByteBuffer()
            while true {
                let view = Array(received.readableBytesView)
                if let end = view.firstRange(of: Array("\r\n\r\n".utf8)) {
                    let head = String(decoding: view[..<end.lowerBound], as: UTF8.self)
                    let status = head.split(separator: " ", maxSplits: 2).dropFirst().first.flatMap { Int($0) } ?? 0
                    guard status == 101 else { throw WebSocketUpgradeRefused(status: status) }
                    let accept = Data(Insecure.SHA1.hash(data: Data((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").utf8)))
                        .base64EncodedString()
                    guard head.lowercased().contains("sec-websocket-accept: \(accept.lowercased())") else {
                        throw HarnessError("the upgrade response has no valid Sec-WebSocket-Accept: \(head)")
                    }
                    received.moveReaderIndex(forwardBy: end.upperBound)
                    break
                }
                guard var chunk = try await iterator.next() else { throw HarnessError("closed during the upgrade") }
                received.writeBuffer(&chunk)
            }
            let connection = WebSocketTestConnection(inbound: iterator, outbound: outbound, buffered: received)
            let result = try await body(connection)
            if !connection.closed { try? await connection.sendFrame(opcode: 0x8, payload: [0x03, 0xE8]) }
            return result
        }
    }
}
