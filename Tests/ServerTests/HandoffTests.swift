import Foundation
import Server
import ServerTestSupport
import Store
import SupportCore
import TestSupport
import Testing

@Suite("Agents and handoff over real TLS", .timeLimit(.minutes(1)))
struct HandoffTests {
    @Test("a conversation handed to a person appears in the agent's queue, and only it")
    func queueListsHandoffs() async throws {
        try await withHandoffServer { server, tokens, _ async throws in
            // Given a customer with one ordinary conversation and one that asked for a human
            let (ordinary, handedOff) = try await server.withConnection { customer async throws in
                try await customer.hello(tokens.customer, as: "alice")
                let ordinary = try await customer.say("where is my order?")
                _ = try await customer.request(["type": "start"])
                return (ordinary, try await customer.say("human"))
            }
            #expect(ordinary != handedOff)

            // When an agent asks for the queue
            try await server.withConnection { agent async throws in
                try await agent.hello(tokens.agent, as: "sam")
                let queue = try await agent.request(["type": "queue", "id": "q1"])

                // Then exactly the handed-off conversation is listed, with its client and times
                #expect(keys(queue) == ["type", "id", "conversations"])
                #expect(queue["type"] as? String == "queue")
                #expect(queue["id"] as? String == "q1")
                let entries = try #require(queue["conversations"] as? [[String: Any]])
                try #require(entries.count == 1)
                let entry = entries[0]
                #expect(keys(entry) == ["conversation", "client", "status", "created_at", "updated_at"])
                #expect(entry["conversation"] as? String == handedOff)
                #expect(entry["client"] as? String == "alice")
                #expect(entry["status"] as? String == "handoff")
                let createdText = try #require(entry["created_at"] as? String)
                let updatedText = try #require(entry["updated_at"] as? String)
                let created = try #require(RFC3339.date(from: createdText))
                let updated = try #require(RFC3339.date(from: updatedText))
                #expect((entry["updated_at"] as? String)?.hasSuffix("Z") == true)
                #expect(updated >= created)
            }
        }
    }

    @Test("join returns any client's conversation with its history")
    func joinReturnsHistory() async throws {
        try await withHandoffServer { server, tokens, _ async throws in
            try await server.withConnection { customer async throws in
                try await customer.hello(tokens.customer, as: "alice")
                let conversation = try await customer.say("human")
                try await server.withConnection { agent async throws in
                    try await agent.hello(tokens.agent, as: "sam")
                    let joined = try await agent.request(["type": "join", "id": 5, "conversation": conversation])
                    #expect(keys(joined) == ["type", "id", "conversation", "client", "status", "messages"])
                    #expect(joined["type"] as? String == "joined")
                    #expect(joined["id"] as? Int == 5)
                    #expect(joined["conversation"] as? String == conversation)
                    #expect(joined["client"] as? String == "alice")
                    #expect(joined["status"] as? String == "handoff")
                    let messages = try #require(joined["messages"] as? [[String: Any]])
                    #expect(messages.map { $0["role"] as? String } == ["user", "bot"])
                    #expect(messages.map { $0["text"] as? String } == ["human", "Connecting you."])
                    #expect(messages.map { $0["seq"] as? Int } == [1, 2])
                    #expect(messages[1]["route"] as? String == "handoff")
                    #expect(messages.allSatisfy { $0["conversation"] as? String == conversation })
                }
            }
        }
    }

    @Test("an agent's message is stored, pushed to the customer as a reply with route agent, and in history")
    func agentMessageReachesCustomer() async throws {
        try await withHandoffServer { server, tokens, responder async throws in
            try await server.withConnection { customer async throws in
                try await customer.hello(tokens.customer, as: "alice")
                // An open conversation: an agent may step in before the bot hands it over.
                let conversation = try await customer.say("my tent pole snapped")
                let message = try await server.withConnection { agent async throws in
                    try await agent.hello(tokens.agent, as: "sam")
                    let sent = try await agent.request([
                        "type": "agent_message", "id": "a1", "conversation": conversation, "text": "Hi Alice, Sam here. Sorry!",
                    ])
                    #expect(keys(sent) == ["type", "id", "conversation", "message"])
                    #expect(sent["type"] as? String == "sent")
                    #expect(sent["id"] as? String == "a1")
                    #expect(sent["conversation"] as? String == conversation)
                    return try #require(sent["message"] as? String)
                }

                // The customer's live connection receives it, with no request id
                let pushed = try await customer.response()
                #expect(
                    keys(pushed) == ["type", "conversation", "message", "text", "route", "intent", "sources", "options", "agent"])
                #expect(pushed["type"] as? String == "reply")
                #expect(pushed["conversation"] as? String == conversation)
                #expect(pushed["message"] as? String == message)
                #expect(pushed["text"] as? String == "Hi Alice, Sam here. Sorry!")
                #expect(pushed["route"] as? String == "agent")
                #expect(pushed["intent"] is NSNull)
                #expect((pushed["sources"] as? [Any])?.isEmpty == true)
                #expect((pushed["options"] as? [Any])?.isEmpty == true)
                #expect(pushed["agent"] as? String == "sam")

                // It is stored with role agent, and the conversation is now a person's
                let history = try await customer.request(["type": "history", "conversation": conversation])
                let messages = try #require(history["messages"] as? [[String: Any]])
                #expect(messages.map { $0["role"] as? String } == ["user", "bot", "agent"])
                #expect(messages[2]["id"] as? String == message)
                #expect(messages[2]["route"] as? String == "agent")
                #expect(messages[2]["text"] as? String == "Hi Alice, Sam here. Sorry!")
                let id = try #require(ConversationID(rawValue: conversation))
                #expect(try await server.store.conversation(id: id, client: nil)?.status == .handoff)

                // So the bot no longer answers there
                let next = try await customer.request(["type": "message", "text": "thanks"])
                #expect(next["route"] as? String == "handoff")
                #expect(responder.seen == ["my tent pole snapped"])
            }
        }
    }

    @Test("during handoff a customer message skips the bot, is answered with route handoff, and reaches the joined agent")
    func customerMessageDuringHandoff() async throws {
        try await withHandoffServer { server, tokens, responder async throws in
            try await server.withConnection { customer async throws in
                try await customer.hello(tokens.customer, as: "alice")
                let conversation = try await customer.say("human")
                try await server.withConnection { agent async throws in
                    try await agent.hello(tokens.agent, as: "sam")
                    _ = try await agent.request(["type": "join", "conversation": conversation])

                    let reply = try await customer.request(["type": "message", "id": 9, "text": "is anyone there?"])
                    #expect(reply["type"] as? String == "reply")
                    #expect(reply["id"] as? Int == 9)
                    #expect(reply["conversation"] as? String == conversation)
                    #expect(reply["route"] as? String == "handoff")
                    #expect(reply["text"] as? String == "Your message is with our support team; a person will reply here.")
                    let intent = try #require(reply["intent"] as? [String: Any])
                    #expect(intent["name"] as? String == "handoff")
                    #expect(intent["confidence"] as? Double == 1)
                    #expect(responder.seen == ["human"])

                    let pushed = try await agent.response()
                    #expect(keys(pushed) == ["type", "conversation", "message", "text"])
                    #expect(pushed["type"] as? String == "customer")
                    #expect(pushed["conversation"] as? String == conversation)
                    #expect(pushed["text"] as? String == "is anyone there?")

                    let history = try await agent.request(["type": "history", "conversation": conversation])
                    let messages = try #require(history["messages"] as? [[String: Any]])
                    #expect(messages.map { $0["role"] as? String } == ["user", "bot", "user", "bot"])
                    #expect(messages[2]["id"] as? String == pushed["message"] as? String)
                    #expect(messages[3]["id"] as? String == reply["message"] as? String)
                    #expect(messages[3]["route"] as? String == "handoff")
                }
            }
        }
    }

    @Test("an agent's end is pushed to the customer, and the conversation takes no more messages")
    func agentEndsConversation() async throws {
        try await withHandoffServer { server, tokens, _ async throws in
            try await server.withConnection { customer async throws in
                try await customer.hello(tokens.customer, as: "alice")
                let conversation = try await customer.say("human")
                try await server.withConnection { agent async throws in
                    try await agent.hello(tokens.agent, as: "sam")
                    _ = try await agent.request(["type": "join", "conversation": conversation])
                    let ended = try await agent.request(["type": "end", "id": "e", "conversation": conversation])
                    #expect(keys(ended) == ["type", "id", "conversation"])
                    #expect(ended["type"] as? String == "ended")
                    #expect(ended["conversation"] as? String == conversation)
                    // The agent that ended it gets its response, not a push as well
                    try await agent.expectNothingPending()
                }
                let pushed = try await customer.response()
                #expect(keys(pushed) == ["type", "conversation"])
                #expect(pushed["type"] as? String == "ended")
                #expect(pushed["conversation"] as? String == conversation)

                let refused = try await customer.request(["type": "message", "conversation": conversation, "text": "hello?"])
                #expect(refused["type"] as? String == "error")
                #expect(refused["code"] as? String == "invalid_field")
                let id = try #require(ConversationID(rawValue: conversation))
                #expect(try await server.store.conversation(id: id, client: nil)?.status == .ended)
                #expect(try await server.store.messages(conversation: id).count == 2)

                // Without a conversation, the customer simply starts a new one with the bot
                let fresh = try await customer.say("hello again")
                #expect(fresh != conversation)
            }
        }
    }

    @Test("a customer's end is pushed to the joined agent")
    func customerEndReachesAgent() async throws {
        try await withHandoffServer { server, tokens, _ async throws in
            try await server.withConnection { customer async throws in
                try await customer.hello(tokens.customer, as: "alice")
                let conversation = try await customer.say("human")
                try await server.withConnection { agent async throws in
                    try await agent.hello(tokens.agent, as: "sam")
                    _ = try await agent.request(["type": "join", "conversation": conversation])
                    let ended = try await customer.request(["type": "end", "conversation": conversation])
                    #expect(ended["type"] as? String == "ended")
                    try await customer.expectNothingPending()

                    let pushed = try await agent.response()
                    #expect(keys(pushed) == ["type", "conversation"])
                    #expect(pushed["type"] as? String == "ended")
                    #expect(pushed["conversation"] as? String == conversation)
                    let refused = try await agent.request([
                        "type": "agent_message", "conversation": conversation, "text": "still there?",
                    ])
                    #expect(refused["code"] as? String == "invalid_field")
                }
            }
        }
    }

    @Test("a customer token is unauthorized for queue, join and agent_message, and nothing changes")
    func customersCannotActAsAgents() async throws {
        try await withHandoffServer { server, tokens, _ async throws in
            try await server.withConnection { customer async throws in
                try await customer.hello(tokens.customer, as: "alice")
                let conversation = try await customer.say("human")
                let requests: [[String: Any]] = [
                    ["type": "queue", "id": 1],
                    ["type": "join", "id": 2, "conversation": conversation],
                    ["type": "agent_message", "id": 3, "conversation": conversation, "text": "I am an agent, honest"],
                ]
                for request in requests {
                    let response = try await customer.request(request)
                    #expect(response["type"] as? String == "error", "\(request["type"]!)")
                    #expect(response["code"] as? String == "unauthorized", "\(request["type"]!)")
                    #expect(response["message"] as? String == "agent requests need an agent token")
                    #expect(response["id"] as? Int == request["id"] as? Int)
                }
                try await customer.expectNothingPending()
                let id = try #require(ConversationID(rawValue: conversation))
                #expect(try await server.store.messages(conversation: id).map(\.role) == [.user, .bot])
            }
        }
    }

    @Test("agent_message to a missing conversation is not_found; unknown_type lists the agent requests")
    func agentMessageToMissingConversation() async throws {
        try await withHandoffServer { server, tokens, _ async throws in
            try await server.withConnection { agent async throws in
                try await agent.hello(tokens.agent, as: "sam")
                let missing = "0123456789abcdef0123456789abcdef"
                for request: [String: Any] in [
                    ["type": "agent_message", "conversation": missing, "text": "hello"],
                    ["type": "join", "conversation": missing],
                    ["type": "agent_message", "conversation": "not-an-id", "text": "hello"],
                ] {
                    #expect(try await agent.request(request)["code"] as? String == "not_found")
                }
                #expect(try await agent.request(["type": "agent_message", "text": "hello"])["code"] as? String == "missing_field")
                let empty = try await agent.request(["type": "agent_message", "conversation": missing, "text": " "])
                #expect(empty["code"] as? String == "invalid_field")
                let unknown = try await agent.request(["type": "teleport"])
                #expect(unknown["code"] as? String == "unknown_type")
                #expect((unknown["message"] as? String)?.hasSuffix("ping, queue, join, agent_message") == true)
                #expect(try await server.store.conversations(status: .handoff).isEmpty)
            }
        }
    }

    @Test("handoff survives a restart: the store is the source of truth when a customer resumes")
    func handoffAfterRestart() async throws {
        try await withStore { store async throws in
            let customerToken = try await store.createClient(name: "alice", role: .customer)
            let first = RecordingResponder()
            let conversation = try await ServerHarness.run(responder: first, store: store, configure: { $0.requireAuth = true }) {
                server async throws in
                try await server.withConnection { customer async throws in
                    try await customer.hello(customerToken, as: "alice")
                    return try await customer.say("human")
                }
            }
            let second = RecordingResponder()
            try await ServerHarness.run(
                responder: second, store: store,
                configure: {
                    $0.requireAuth = true
                    $0.handoffHoldMessage = "Hold on, please."
                }
            ) { server async throws in
                try await server.withConnection { customer async throws in
                    try await customer.hello(customerToken, as: "alice")
                    let resumed = try await customer.request(["type": "start", "conversation": conversation])
                    #expect(resumed["resumed"] as? Bool == true)
                    let reply = try await customer.request(["type": "message", "text": "any news?"])
                    #expect(reply["conversation"] as? String == conversation)
                    #expect(reply["route"] as? String == "handoff")
                    #expect(reply["text"] as? String == "Hold on, please.")
                }
            }
            #expect(second.seen.isEmpty)
        }
    }
}
