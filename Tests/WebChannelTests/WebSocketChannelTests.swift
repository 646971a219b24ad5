import Foundation
import Server
import ServerTestSupport
import Store
import SupportCore
import TestSupport
import Testing
import WebChannel

/// What `/ws` adds to the line protocol: who may open it (Origin), how frames map to requests,
/// and that the two channels share one session implementation (a customer on the WebSocket and
/// an agent on the line server reach each other). The protocol itself (error codes, auth,
/// isolation, limits) is proven over both transports in ServerTests.
@Suite("Web channel: /ws")
struct WebSocketChannelTests {
    @Test("a page from another origin cannot open /ws; same origin, listed origins and non-browsers can")
    func originPolicy() async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: { $0.web = WebConfiguration(port: 0, allowedOrigins: ["https://Shop.Example.com"]) }
            ) { server async throws in
                let port = try #require(server.webPort)
                for origin in ["https://evil.example", "null", "https://shop.example.com.evil.example", "http://127.0.0.1:\(port)"]
                {
                    let error = await #expect(throws: WebSocketUpgradeRefused.self, "\(origin)") {
                        try await server.withConnection(over: .webSocket, origin: origin) { _ in }
                    }
                    // Hummingbird answers a declined upgrade with 400 and no body; a plain request
                    // from the same page gets 403 with the reason.
                    #expect(error?.status == 400)
                    let refused = try await fetch(port: port, "/ws", headers: [("Origin", origin)])
                    #expect(refused.status == 403, "\(origin)")
                    #expect(refused.errorCode == "forbidden")
                }
                for origin in [nil, "https://shop.example.com", "https://127.0.0.1:\(port)"] as [String?] {
                    let pong = try await server.withConnection(over: .webSocket, origin: origin) { connection in
                        try await connection.request(["type": "ping"])["type"] as? String
                    }
                    #expect(pong == "pong", "\(origin ?? "none")")
                }
                // A plain GET of /ws says how to connect.
                let plain = try await fetch(port: port, "/ws")
                #expect(plain.status == 426)
            }
        }
    }

    @Test("a fragmented message over the line limit gets line_too_long; a huge single frame is refused")
    func fragmentedAndOversizedFrames() async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.serve(.webSocket)
                    $0.limits.maxLineLength = 20_000
                }
            ) { server async throws in
                // Three fragments of 8,000 bytes: each fits, the message does not.
                try await server.withConnection(over: .webSocket) { connection in
                    let ws = try #require(connection as? WebSocketTestConnection)
                    try await ws.sendFragmented([String](repeating: String(repeating: "a", count: 8_000), count: 3))
                    #expect(try await connection.response()["code"] as? String == "line_too_long")
                    #expect(try await connection.readLine() == nil)
                }
                // Two fragments that together make one valid request are one request.
                try await server.withConnection(over: .webSocket) { connection in
                    let ws = try #require(connection as? WebSocketTestConnection)
                    try await ws.sendFragmented([#"{"type":"pi"#, #"ng","id":7}"#])
                    let pong = try await connection.response()
                    #expect(pong["type"] as? String == "pong")
                    #expect(pong["id"] as? Int == 7)
                }
                // One frame beyond twice the limit: the frame decoder closes the connection
                // without processing anything.
                try await server.withConnection(over: .webSocket) { connection in
                    try await connection.send(#"{"type":"message","text":""# + String(repeating: "b", count: 50_000) + "\"}")
                    #expect(try await connection.readLine() == nil)
                }
                #expect(try await store.conversations(status: .open).isEmpty)
            }
        }
    }

    @Test("a customer on /ws and an agent on the line server reach each other, both ways")
    func crossChannelHandoff() async throws {
        try await withStore { store async throws in
            let customer = try await store.createClient(name: "alice", role: .customer)
            let agent = try await store.createClient(name: "sam", role: .agent)
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.requireAuth = true
                    $0.serve(.webSocket)
                }
            ) { server async throws in
                try await server.withConnection(over: .webSocket) { web in
                    #expect(try await web.request(["type": "hello", "token": customer])["client"] as? String == "alice")
                    let handoff = try await web.request(["type": "message", "text": "human"])
                    #expect(handoff["route"] as? String == "handoff")
                    let conversation = try #require(handoff["conversation"] as? String)
                    try await server.withConnection(over: .line) { line in
                        _ = try await line.request(["type": "hello", "token": agent])
                        let queue = try await line.request(["type": "queue"])
                        let queued = try #require(queue["conversations"] as? [[String: Any]])
                        #expect(queued.map { $0["conversation"] as? String } == [conversation])
                        #expect(
                            try await line.request(["type": "join", "conversation": conversation])["type"] as? String == "joined")
                        let sent = try await line.request(
                            ["type": "agent_message", "conversation": conversation, "text": "Hi, I'm Sam"])
                        #expect(sent["type"] as? String == "sent")
                        let pushed = try await web.response()
                        #expect(pushed["route"] as? String == "agent")
                        #expect(pushed["agent"] as? String == "sam")
                        #expect(pushed["text"] as? String == "Hi, I'm Sam")
                        let held = try await web.request(["type": "message", "text": "thanks, it is order 42"])
                        #expect(held["route"] as? String == "handoff")
                        let customerPush = try await line.response()
                        #expect(customerPush["type"] as? String == "customer")
                        #expect(customerPush["text"] as? String == "thanks, it is order 42")
                        #expect(
                            try await line.request(["type": "end", "conversation": conversation])["type"] as? String == "ended")
                        let ended = try await web.response()
                        #expect(ended["type"] as? String == "ended")
                    }
                }
                let ended = try await store.conversations(status: .ended)
                let stored = try await store.messages(conversation: try #require(ended.first).id)
                #expect(stored.map(\.role) == [.user, .bot, .agent, .user, .bot])
            }
        }
    }

    @Test("an admin token opens no chat session")
    func adminTokenCannotChat() async throws {
        try await withStore { store async throws in
            let admin = try await store.createClient(name: "boss", role: .admin)
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.requireAuth = true
                    $0.serve(.webSocket)
                }
            ) { server async throws in
                for transport in Transport.allCases {
                    try await server.withConnection(over: transport) { connection in
                        let refused = try await connection.request(["type": "hello", "token": admin])
                        #expect(refused["code"] as? String == "unauthorized", "\(transport)")
                        #expect(try await connection.request(["type": "start"])["code"] as? String == "unauthorized")
                    }
                }
            }
        }
    }

    @Test("graceful shutdown says bye to WebSocket clients")
    func shutdownSaysBye() async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(responder: EchoResponder(), store: store, configure: { $0.serve(.webSocket) }) {
                server async throws in
                try await server.withConnection(over: .webSocket) { connection in
                    #expect(try await connection.request(["type": "ping"])["type"] as? String == "pong")
                    await server.triggerGracefulShutdown()
                    let bye = try await connection.response()
                    #expect(bye["type"] as? String == "bye")
                    #expect(bye["reason"] as? String == "shutdown")
                }
            }
        }
    }
}
