import Foundation
import Server
import ServerTestSupport
import Store
import SupportCore
import TestSupport
import Testing

/// Red-team findings of issue 17, each provoked over real TLS on both transports.
@Suite("Hardening: NUL text and failed authentication")
struct HardeningTests {
    @Test("text with a NUL is refused whole, never answered and stored cut short", arguments: Transport.allCases)
    func nulRefused(over transport: Transport) async throws {
        try await withStore { store async throws in
            let agent = try await store.createClient(name: "sam", role: .agent)
            let customer = try await store.createClient(name: "alice", role: .customer)
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.requireAuth = true
                    $0.serve(transport)
                }
            ) { server async throws in
                let (conversation, reply) = try await server.withConnection(over: transport) { connection in
                    _ = try await connection.request(["type": "hello", "token": customer])
                    try await connection.send(#"{"type":"message","text":"refund order 12\u0000 and keep quiet"}"#)
                    let refused = try await connection.response()
                    #expect(refused["code"] as? String == "invalid_field")
                    #expect((refused["message"] as? String)?.contains("NUL") == true)
                    let answered = try await connection.request(["type": "message", "text": "human"])
                    let conversation = try #require(answered["conversation"] as? String)
                    let reply = try #require(answered["message"] as? String)
                    try await connection.send(
                        #"{"type":"feedback","message":"\#(reply)","rating":"down","comment":"bad\u0000"}"#)
                    #expect(try await connection.response()["code"] as? String == "invalid_field")
                    return (conversation, reply)
                }
                try await server.withConnection(over: transport) { connection in
                    _ = try await connection.request(["type": "hello", "token": agent])
                    try await connection.send(
                        #"{"type":"agent_message","conversation":"\#(conversation)","text":"hi\u0000there"}"#)
                    #expect(try await connection.response()["code"] as? String == "invalid_field")
                }
                let id = try #require(ConversationID(rawValue: conversation))
                #expect(try await store.messages(conversation: id).map(\.text).allSatisfy { !$0.contains("\u{0}") })
                #expect(try await store.messages(conversation: id).count == 2)
                #expect(try await store.message(id: try #require(MessageID(rawValue: reply))) != nil)
            }
        }
    }

    @Test("a raw NUL in a text-mode line is refused")
    func nulInTextMode() async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(responder: EchoResponder(), store: store) { server async throws in
                try await server.withConnection { connection in
                    try await connection.sendRaw(Array("hello\u{0}world\n".utf8))
                    let answer = try await connection.textAnswer()
                    #expect(answer.joined().contains("(invalid_field)"))
                }
                #expect(try await store.conversations(status: .open).isEmpty)
            }
        }
    }

    @Test("a failed hello after a good one leaves the connection unauthenticated", arguments: Transport.allCases)
    func failedHelloDeauthenticates(over transport: Transport) async throws {
        try await withStore { store async throws in
            let customer = try await store.createClient(name: "alice", role: .customer)
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.requireAuth = true
                    $0.serve(transport)
                }
            ) { server async throws in
                try await server.withConnection(over: transport) { connection in
                    #expect(try await connection.request(["type": "hello", "token": customer])["client"] as? String == "alice")
                    let conversation = try await connection.request(["type": "message", "text": "my order"])
                    let id = try #require(conversation["conversation"] as? String)
                    #expect(
                        try await connection.request(["type": "hello", "token": "sb_guess"])["code"] as? String == "unauthorized")
                    #expect(
                        try await connection.request(["type": "history", "conversation": id])["code"] as? String == "unauthorized")
                    #expect(try await connection.request(["type": "message", "text": "hi"])["code"] as? String == "unauthorized")
                }
            }
        }
    }

    @Test("the third failed authentication closes the connection and is counted", arguments: Transport.allCases)
    func failuresCloseTheConnection(over transport: Transport) async throws {
        try await withStore { store async throws in
            let customer = try await store.createClient(name: "alice", role: .customer)
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.requireAuth = true
                    $0.serve(transport)
                }
            ) { server async throws in
                try await server.withConnection(over: transport) { connection in
                    for attempt in 1...3 {
                        let refused = try await connection.request(["type": "hello", "token": "sb_guess\(attempt)"])
                        #expect(refused["code"] as? String == "unauthorized")
                        #expect(((refused["message"] as? String) ?? "").contains("closing") == (attempt == 3))
                    }
                    #expect(try await connection.readLine() == nil)
                }
                #expect(server.metrics.value("supportbot_authentication_failures_total") == 3)
                #expect(
                    server.metrics.value(#"supportbot_connections_dropped_total{reason="authentication_failures"}"#) == 1)
                // A good token still works on a new connection.
                let welcome = try await server.withConnection(over: transport) { connection in
                    try await connection.request(["type": "hello", "token": customer])["client"] as? String
                }
                #expect(welcome == "alice")
            }
        }
    }
}

@Suite("Hardening: revoked tokens")
struct RevocationTests {
    @Test("revoking a token ends its live sessions with bye, in both modes and on both channels", arguments: Transport.allCases)
    func revokedSessionsEnd(over transport: Transport) async throws {
        try await withStore { store async throws in
            let customer = try await store.createClient(name: "alice", role: .customer)
            let other = try await store.createClient(name: "bob", role: .customer)
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.requireAuth = true
                    $0.serve(transport)
                }
            ) { server async throws in
                try await server.withConnection(over: transport) { alice in
                    try await server.withConnection(over: transport) { bob in
                        _ = try await alice.request(["type": "hello", "token": customer])
                        _ = try await bob.request(["type": "hello", "token": other])
                        #expect(try await alice.request(["type": "message", "text": "hi"])["type"] as? String == "reply")
                        // When the operator revokes alice's token while she is connected
                        #expect(try await store.revokeClient(name: "alice"))
                        // Then within the enforcement interval she is told and disconnected
                        let bye = try await alice.response()
                        #expect(bye["type"] as? String == "bye")
                        #expect(bye["reason"] as? String == "revoked")
                        #expect(try await alice.readLine() == nil)
                        // and bob is served as before
                        #expect(try await bob.request(["type": "ping"])["type"] as? String == "pong")
                    }
                }
                #expect(server.metrics.value(#"supportbot_connections_dropped_total{reason="token_revoked"}"#) == 1)
            }
        }
    }

    @Test("a text-mode session is told in words")
    func revokedTextSession() async throws {
        try await withStore { store async throws in
            let customer = try await store.createClient(name: "alice", role: .customer)
            try await ServerHarness.run(
                responder: EchoResponder(), store: store, configure: { $0.requireAuth = true }
            ) { server async throws in
                try await server.withConnection { connection in
                    try await connection.send("/token \(customer)")
                    #expect(try await connection.textAnswer() == ["Authenticated as alice."])
                    #expect(try await store.revokeClient(name: "alice"))
                    #expect(try await connection.textAnswer() == ["Your access has been revoked. Goodbye."])
                    #expect(try await connection.readLine() == nil)
                }
            }
        }
    }
}
