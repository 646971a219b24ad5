import Foundation
import Server
import ServerTestSupport
import Store
import TestSupport
import Testing

@Suite("TLS handshake timeout and client certificates over real sockets")
struct TLSLimitsTests {
    @Test(
        "a client that connects and never sends a ClientHello is closed after the handshake timeout",
        arguments: Transport.allCases)
    func handshakeTimeout(over transport: Transport) async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.limits.handshakeTimeout = .milliseconds(300)
                    $0.serve(transport)
                }
            ) { server async throws in
                let port = try #require(transport == .line ? server.port : server.webPort)
                // Given a TLS client that completed its handshake
                try await server.withConnection(over: transport) { connection async throws in
                    #expect(try await connection.request(["type": "ping"])["type"] as? String == "pong")

                    // When a TCP client connects and sends nothing
                    let received = try await PlainTCP.exchange(port: port, timeout: .seconds(30))

                    // Then the server closes it without a byte, counts it, and the TLS client,
                    // now connected for longer than the timeout, is still served
                    #expect(received == [])
                    #expect(server.metrics.value(#"supportbot_connections_dropped_total{reason="handshake_timeout"}"#) == 1)
                    #expect(try await connection.request(["type": "ping"])["type"] as? String == "pong")
                }
            }
        }
    }

    @Test("a server verifying clients refuses one without a certificate or with a foreign one, and serves one its CA signed")
    func clientCertificates() async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.tls.clientCAPEM = TestCertificates.clientCA.caCertificatePEM
                }
            ) { server async throws in
                // A client without a certificate is refused.
                await #expect(throws: (any Error).self) {
                    try await server.withConnection { connection async throws in
                        _ = try await connection.request(["type": "ping"])
                    }
                }
                // So is one whose certificate another CA signed.
                await #expect(throws: (any Error).self) {
                    try await server.withConnection(tls: TestCertificates.clientTLS(presenting: TestCertificates.untrustedClientCA))
                    {
                        connection async throws in
                        _ = try await connection.request(["type": "ping"])
                    }
                }
                // A client presenting a certificate signed by the configured CA is served.
                try await server.withConnection(tls: TestCertificates.clientTLS(presenting: TestCertificates.clientCA)) {
                    connection async throws in
                    #expect(try await connection.request(["type": "ping"])["type"] as? String == "pong")
                    #expect(try await connection.request(["type": "message", "text": "hi"])["type"] as? String == "reply")
                }
            }
        }
    }
}
