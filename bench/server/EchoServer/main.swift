// The ceiling for the server benchmark: a TLS line echo server in the shape of swift-nio's
// NIOTCPEchoServer example (NIOAsyncChannel, one child task per connection), with the same
// TLS context settings and line framing as SupportBot's server, and nothing else.
// Usage: bench-echo-server PORT CERT_DIR
import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Server

@main
struct EchoServer {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count == 3, let port = Int(arguments[1]) else {
            FileHandle.standardError.write(Data("usage: bench-echo-server PORT CERT_DIR\n".utf8))
            exit(2)
        }
        let (certificates, _) = try DevCertificates.loadOrCreate(in: URL(fileURLWithPath: arguments[2]))
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(certificates.serverCertificatePEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(certificates.serverPrivateKeyPEM.utf8), format: .pem))
        )
        tls.minimumTLSVersion = .tlsv12
        let sslContext = try NIOSSLContext(configuration: tls)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .bind(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(LineFramingDecoder(maxLineLength: 64 * 1024)))
                    return try NIOAsyncChannel<ConnectionEvent, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        FileHandle.standardError.write(Data("echo server listening on 127.0.0.1:\(port)\n".utf8))
        try await withThrowingDiscardingTaskGroup { group in
            try await server.executeThenClose { connections in
                for try await connection in connections {
                    group.addTask {
                        try? await connection.executeThenClose { inbound, outbound in
                            for try await event in inbound {
                                guard case .line(var line) = event else { return }
                                line.writeInteger(UInt8(ascii: "\n"))
                                try await outbound.write(line)
                            }
                        }
                    }
                }
            }
        }
    }
}
