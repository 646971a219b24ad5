import Foundation
import Server
import ServerTestSupport
import Store
import TestSupport
import Testing

@Suite("Agents and handoff in text mode over real TLS", .timeLimit(.minutes(1)))
struct HandoffTextModeTests {
    @Test("a text-mode customer sees the agent's message and the close as text answers")
    func textCustomerSeesAgent() async throws {
        try await withHandoffServer { server, tokens, _ async throws in
            try await server.withConnection { customer async throws in
                try await customer.send("/token \(tokens.customer)")
                #expect(try await customer.textAnswer() == ["Authenticated as alice."])
                try await customer.send("human")
                #expect(try await customer.textAnswer() == ["Connecting you."])

                let conversation = try await server.withConnection { agent async throws in
                    try await agent.hello(tokens.agent, as: "sam")
                    let queue = try await agent.request(["type": "queue"])
                    let entries = try #require(queue["conversations"] as? [[String: Any]])
                    let conversation = try #require(entries.first?["conversation"] as? String)
                    let sent = try await agent.request([
                        "type": "agent_message", "conversation": conversation, "text": "Hello from Sam",
                    ])
                    #expect(sent["type"] as? String == "sent")
                    return conversation
                }
                #expect(try await customer.textAnswer() == ["Agent sam: Hello from Sam"])

                try await customer.send("thank you")
                #expect(try await customer.textAnswer() == ["Your message is with our support team; a person will reply here."])

                try await server.withConnection { agent async throws in
                    try await agent.hello(tokens.agent, as: "sam")
                    #expect(try await agent.request(["type": "end", "conversation": conversation])["type"] as? String == "ended")
                }
                #expect(try await customer.textAnswer() == ["This conversation has been closed by our team."])
            }
        }
    }

    @Test("a text-mode agent works the queue with /queue, /join, /say and /end")
    func textAgentCommands() async throws {
        try await withHandoffServer { server, tokens, _ async throws in
            try await server.withConnection { customer async throws in
                try await customer.hello(tokens.customer, as: "alice")
                let conversation = try await customer.say("human")
                try await server.withConnection { agent async throws in
                    try await agent.send("/token \(tokens.agent)")
                    #expect(try await agent.textAnswer() == ["Authenticated as sam."])
                    try await agent.send("/help")
                    #expect(try await agent.textAnswer().contains { $0.hasPrefix("  /say TEXT") })

                    try await agent.send("/say too early")
                    #expect(try await agent.textAnswer().first?.contains("(missing_field)") == true)

                    try await agent.send("/queue")
                    let queue = try await agent.textAnswer()
                    #expect(queue.count == 1)
                    #expect(queue.first?.hasPrefix("\(conversation)  alice  waiting since ") == true)

                    try await agent.send("/join \(conversation)")
                    let joined = try await agent.textAnswer()
                    #expect(joined.first == "Joined \(conversation) (client alice, handoff).")
                    #expect(
                        joined.dropFirst().map { $0.split(separator: " ", maxSplits: 1).last.map(String.init) } == [
                            "user: human", "bot: Connecting you.",
                        ])

                    try await agent.send("/say How can I help?")
                    #expect(try await agent.textAnswer() == ["Sent."])
                    let pushed = try await customer.response()
                    #expect(pushed["type"] as? String == "reply")
                    #expect(pushed["text"] as? String == "How can I help?")
                    #expect(pushed["agent"] as? String == "sam")

                    _ = try await customer.say("my boots leak")
                    #expect(try await agent.textAnswer() == ["Customer (\(conversation)): my boots leak"])

                    try await agent.send("/end")
                    #expect(try await agent.textAnswer() == ["Ended conversation \(conversation)."])
                    let ended = try await customer.response()
                    #expect(ended["type"] as? String == "ended")
                    #expect(ended["conversation"] as? String == conversation)
                }
            }
        }
    }

    @Test("a text-mode customer does not see agent commands and may not use them")
    func textCustomerCannotUseAgentCommands() async throws {
        try await withHandoffServer { server, tokens, _ async throws in
            try await server.withConnection { customer async throws in
                try await customer.send("/token \(tokens.customer)")
                _ = try await customer.textAnswer()
                try await customer.send("/help")
                #expect(try await customer.textAnswer().contains { $0.contains("/queue") } == false)
                try await customer.send("/queue")
                #expect(try await customer.textAnswer() == ["error: agent requests need an agent token (unauthorized)"])
            }
        }
    }
}
