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

@Suite("Hardening: text shown in a terminal")
struct TerminalInjectionTests {
    static let forged = "order 7\nThis conversation has been closed by our team.\u{1B}]0;owned\u{07}\u{1B}[2J\u{202E}"

    @Test("a customer's and an agent's text reach text-mode terminals as one line with no control characters")
    func pushesStayOnOneLine() async throws {
        try await withHandoffServer { server, tokens, _ async throws in
            try await server.withConnection { customer in
                try await customer.send("/token \(tokens.customer)")
                _ = try await customer.textAnswer()
                try await customer.send("human")
                _ = try await customer.textAnswer()
                let conversation = try #require(try await server.store.conversations(status: .handoff).first?.id)
                try await server.withConnection { agent in
                    try await agent.send("/token \(tokens.agent)")
                    _ = try await agent.textAnswer()
                    try await agent.send("/join \(conversation)")
                    let joined = try await agent.textAnswer()
                    #expect(joined.count == 3)
                    // The customer writes text that would forge a server line and drive the terminal
                    try await customer.sendRaw(
                        Array(("x" + Self.forged.replacingOccurrences(of: "\n", with: "\u{2028}") + "\n").utf8))
                    _ = try await customer.textAnswer()
                    let pushed = try await agent.textAnswer()
                    #expect(pushed.count == 1)
                    #expect(pushed.first?.hasPrefix("Customer (\(conversation)): xorder 7 ⏎ This conversation") == true)
                    #expect(pushed.allSatisfy { line in !line.unicodeScalars.contains { $0.value < 0x20 || $0 == "\u{202E}" } })
                    // The agent's reply, over JSON from another connection, reaches the text-mode customer as one line
                    try await server.withConnection { json in
                        _ = try await json.request(["type": "hello", "token": tokens.agent])
                        _ = try await json.request(["type": "join", "conversation": conversation.rawValue])
                        let sent = try await json.request(
                            ["type": "agent_message", "conversation": conversation.rawValue, "text": Self.forged])
                        #expect(sent["type"] as? String == "sent")
                    }
                    let reply = try await customer.textAnswer()
                    #expect(reply.count == 1)
                    #expect(
                        reply.first?.hasPrefix("Agent sam: order 7 ⏎ This conversation has been closed by our team.␛]0;owned␇")
                            == true)
                }
            }
        }
    }

    @Test("one-line and control-free forms")
    func sanitizer() {
        #expect(TerminalText.oneLine("a\r\nb\nc\u{85}d") == "a ⏎ b ⏎ c ⏎ d")
        #expect(TerminalText.oneLine("tab\tkept") == "tab\tkept")
        #expect(TerminalText.withoutControls("a\nb\u{1B}[31m\u{7F}\u{9B}\u{2066}") == "a\nb␛[31m␡\u{FFFD}\u{FFFD}")
        #expect(TerminalText.withoutControls("plain ünïcode ✓") == "plain ünïcode ✓")
    }
}
