import NIOCore
import Server
import ServerTestSupport
import Store
import SupportCore
import TestSupport
import Testing

@Suite("Per-address limits: handshakes, connections and failed sign-ins")
struct PeerLimitTests {
    @Test(
        "an address holding its handshake allowance with half-open connections is refused at once; other addresses are not",
        arguments: Transport.allCases)
    func halfOpenHandshakes(over transport: Transport) async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.limits.maxHandshakesPerAddress = 2
                    $0.limits.handshakeTimeout = .seconds(60)
                    $0.serve(transport)
                }
            ) { server async throws in
                let port = try #require(transport == .line ? server.port : server.webPort)
                // Given two connections from 127.0.0.1 that never start TLS
                let held = [try await PlainTCP.hold(port: port), try await PlainTCP.hold(port: port)]
                #expect(await eventually { server.metrics.value("supportbot_connections_handshaking") == 2 })

                // When a third connects from the same address, it is closed without a byte long
                // before the handshake timeout, and counted
                #expect(try await PlainTCP.exchange(port: port, timeout: .seconds(30)) == [])
                #expect(server.metrics.value(#"supportbot_connections_refused_per_address_total{limit="handshakes"}"#) == 1)

                // Then a client from another address is served
                if transport == .line {
                    let other = try await RawTLSClient.connect(port: port, from: "127.0.0.2", reading: true)
                    #expect(other.receivedLines.first?.contains("pong") == true)
                    await other.close()
                }
                // And once the half-open connections go, the address is served again
                for channel in held { try await channel.close().get() }
                #expect(await eventually { server.metrics.value("supportbot_connections_handshaking") == 0 })
                let pong = try await server.withConnection(over: transport) { connection in
                    try await connection.request(["type": "ping"])["type"] as? String
                }
                #expect(pong == "pong")
            }
        }
    }

    @Test("an address at its connection allowance is refused a further connection", arguments: Transport.allCases)
    func connectionsPerAddress(over transport: Transport) async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.limits.maxConnectionsPerAddress = 2
                    $0.serve(transport)
                }
            ) { server async throws in
                let port = try #require(transport == .line ? server.port : server.webPort)
                try await server.withConnection(over: transport) { first in
                    try await server.withConnection(over: transport) { second in
                        #expect(try await first.request(["type": "ping"])["type"] as? String == "pong")
                        #expect(try await second.request(["type": "ping"])["type"] as? String == "pong")
                        #expect(try await PlainTCP.exchange(port: port, timeout: .seconds(30)) == [])
                        #expect(
                            server.metrics.value(#"supportbot_connections_refused_per_address_total{limit="connections"}"#) == 1)
                        if transport == .line {
                            let other = try await RawTLSClient.connect(port: port, from: "127.0.0.2", reading: true)
                            #expect(other.receivedLines.first?.contains("pong") == true)
                            await other.close()
                        }
                        #expect(try await first.request(["type": "ping"])["type"] as? String == "pong")
                    }
                }
            }
        }
    }

    @Test(
        "an address that used up its failed sign-ins gets rate_limited for every hello, a good token too, with the request id",
        arguments: Transport.allCases)
    func signInThrottle(over transport: Transport) async throws {
        try await withStore { store async throws in
            let customer = try await store.createClient(name: "alice", role: .customer)
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.requireAuth = true
                    $0.limits.signInFailuresPerMinute = 3
                    $0.serve(transport)
                }
            ) { server async throws in
                // Given three failed hellos over two connections (reconnecting does not help)
                try await server.withConnection(over: transport) { connection async throws in
                    for guess in 1...2 {
                        #expect(
                            try await connection.request(["type": "hello", "token": "sb_\(guess)"])["code"] as? String
                                == "unauthorized")
                    }
                }
                try await server.withConnection(over: transport) { connection async throws in
                    #expect(try await connection.request(["type": "hello", "token": "sb_3"])["code"] as? String == "unauthorized")
                    // When the address signs in again, even with a good token
                    let refused = try await connection.request(["type": "hello", "id": 7, "token": customer])
                    // Then it is refused as rate limited, saying when to retry, and stays signed out
                    #expect(refused["code"] as? String == "rate_limited")
                    #expect(refused["id"] as? Int == 7)
                    #expect((refused["message"] as? String)?.contains("failed sign-ins") == true)
                    #expect(try await connection.request(["type": "message", "text": "hi"])["code"] as? String == "unauthorized")
                }
                #expect(server.metrics.value("supportbot_authentication_failures_total") == 4)
            }
        }
    }
}
