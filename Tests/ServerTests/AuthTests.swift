import Foundation
import Server
import ServerTestSupport
import Store
import SupportCore
import TestSupport
import Testing

@Suite("Authentication and isolation")
struct AuthTests {
    @Test("before hello, every request is unauthorized on a server that requires tokens", arguments: Transport.allCases)
    func unauthorizedBeforeHello(over transport: Transport) async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.requireAuth = true
                    $0.serve(transport)
                }
            ) {
                server async throws in
                try await server.withConnection(over: transport) { connection async throws in
                    for request: [String: Any] in [["type": "ping"], ["type": "message", "text": "hi"], ["type": "start"]] {
                        #expect(try await connection.request(request)["code"] as? String == "unauthorized")
                    }
                    #expect(try await connection.request(["type": "hello"])["code"] as? String == "unauthorized")
                    #expect(
                        try await connection.request(["type": "hello", "token": "sb_bogus"])["code"] as? String == "unauthorized")
                }
                #expect(try await store.conversations(status: .open).isEmpty)
            }
        }
    }

    @Test("two clients cannot see each other's conversations", arguments: Transport.allCases)
    func isolation(over transport: Transport) async throws {
        try await withStore { store async throws in
            let alice = try await store.createClient(name: "alice", role: .customer)
            let bob = try await store.createClient(name: "bob", role: .customer)
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.requireAuth = true
                    $0.serve(transport)
                }
            ) {
                server async throws in
                let (conversation, message) = try await server.withConnection(over: transport) { connection async throws in
                    #expect(try await connection.request(["type": "hello", "token": alice])["client"] as? String == "alice")
                    let reply = try await connection.request(["type": "message", "text": "my address is 1 Main St"])
                    return (reply["conversation"] as! String, reply["message"] as! String)
                }
                try await server.withConnection(over: transport) { connection async throws in
                    _ = try await connection.request(["type": "hello", "token": bob])
                    let attempts: [[String: Any]] = [
                        ["type": "history", "conversation": conversation],
                        ["type": "export", "conversation": conversation, "format": "json"],
                        ["type": "start", "conversation": conversation],
                        ["type": "message", "conversation": conversation, "text": "hi"],
                        ["type": "end", "conversation": conversation],
                        ["type": "feedback", "message": message, "rating": "down"],
                    ]
                    for attempt in attempts {
                        let response = try await connection.request(attempt)
                        #expect(response["code"] as? String == "not_found", "\(attempt["type"]!)")
                    }
                }
                let stored = try await store.messages(conversation: ConversationID(rawValue: conversation)!)
                #expect(stored.count == 2)
                #expect(try await store.conversation(id: ConversationID(rawValue: conversation)!, client: nil)?.status == .open)
            }
        }
    }
}
