import Foundation
import Server
import ServerTestSupport
import Store
import SupportCore
import TestSupport
import Testing

@Suite("JSON mode over real TLS")
struct JSONModeTests {
    @Test("hello, message, history, export, feedback, end and ping round-trip")
    func fullConversation() async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(responder: EchoResponder(), store: store) { server async throws in
                let conversationID = try await server.withConnection { connection async throws in
                    // Given a connected client
                    let welcome = try await connection.request(["type": "hello", "id": 1, "client": "tests"])
                    #expect(welcome["type"] as? String == "welcome")
                    #expect(welcome["protocol"] as? Int == 1)
                    #expect(welcome["id"] as? Int == 1)

                    // When it sends a message without a conversation
                    let reply = try await connection.request(["type": "message", "id": "m1", "text": "where is my order?"])

                    // Then the reply echoes the id and names a new conversation and stored message
                    #expect(reply["type"] as? String == "reply")
                    #expect(reply["id"] as? String == "m1")
                    #expect(reply["text"] as? String == "echo: where is my order?")
                    #expect(reply["route"] as? String == "canned")
                    #expect((reply["intent"] as? [String: Any])?["name"] as? String == "echo")
                    let conversation = try #require(reply["conversation"] as? String)
                    let message = try #require(reply["message"] as? String)
                    #expect(conversation.count == 32 && message.count == 32)

                    // And the store holds both messages, in order
                    let history = try await connection.request(["type": "history", "conversation": conversation])
                    let messages = try #require(history["messages"] as? [[String: Any]])
                    #expect(messages.map { $0["role"] as? String } == ["user", "bot"])
                    #expect(messages.map { $0["seq"] as? Int } == [1, 2])
                    #expect(messages[1]["id"] as? String == message)
                    #expect((messages[0]["created_at"] as? String)?.hasSuffix("Z") == true)

                    let second = try await connection.request(["type": "message", "text": "and the refund?"])
                    #expect(second["conversation"] as? String == conversation)

                    let export = try await connection.request(["type": "export", "conversation": conversation, "format": "jsonl"])
                    let content = try #require(export["content"] as? String)
                    #expect(content.split(separator: "\n").count == 4)

                    let ok = try await connection.request(["type": "feedback", "message": message, "rating": "up"])
                    #expect(ok["type"] as? String == "ok")

                    let pong = try await connection.request(["type": "ping", "id": 7.5])
                    #expect(pong["type"] as? String == "pong")
                    #expect(pong["id"] as? Double == 7.5)

                    let ended = try await connection.request(["type": "end", "conversation": conversation])
                    #expect(ended["type"] as? String == "ended")
                    let afterEnd = try await connection.request(["type": "message", "conversation": conversation, "text": "hi"])
                    #expect(afterEnd["code"] as? String == "invalid_field")
                    return conversation
                }
                let stored = try await store.conversation(
                    id: try #require(ConversationID(rawValue: conversationID)), client: "local")
                #expect(stored?.status == .ended)
            }
        }
    }

    @Test("a CSV export guards formula cells only when asked")
    func csvFormulaGuard() async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(responder: EchoResponder(), store: store) { server async throws in
                try await server.withConnection { connection async throws in
                    // Given a conversation whose customer wrote a spreadsheet formula
                    let formula = #"=HYPERLINK("http://evil.example","refund")"#
                    let reply = try await connection.request(["type": "message", "text": formula])
                    let conversation = try #require(reply["conversation"] as? String)

                    // When it is exported as CSV without and with the guard
                    let plain = try await connection.request(["type": "export", "conversation": conversation, "format": "csv"])
                    let guarded = try await connection.request([
                        "type": "export", "conversation": conversation, "format": "csv", "guard_formulas": true,
                    ])

                    // Then the plain export keeps the text exactly, the guarded one prefixes `'`
                    let plainContent = try #require(plain["content"] as? String)
                    let guardedContent = try #require(guarded["content"] as? String)
                    #expect(plainContent.contains(#",user,"=HYPERLINK(""http://evil.example"",""refund"")","#))
                    #expect(guardedContent.contains(#",user,"'=HYPERLINK(""http://evil.example"",""refund"")","#))
                    // And the bot's reply, which does not start with a formula character, is untouched
                    #expect(guardedContent.contains(#",bot,"echo: =HYPERLINK("#))
                }
            }
        }
    }

    @Test("start creates and resumes conversations; handoff changes the status")
    func startResumeAndHandoff() async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(responder: EchoResponder(), store: store) { server async throws in
                let conversation = try await server.withConnection { connection async throws in
                    let started = try await connection.request(["type": "start", "metadata": ["channel": "web"]])
                    #expect(started["resumed"] as? Bool == false)
                    let id = try #require(started["conversation"] as? String)
                    let reply = try await connection.request(["type": "message", "text": "human"])
                    #expect(reply["route"] as? String == "handoff")
                    #expect(reply["conversation"] as? String == id)
                    return id
                }
                try await server.withConnection { connection async throws in
                    let resumed = try await connection.request(["type": "start", "conversation": conversation])
                    #expect(resumed["resumed"] as? Bool == true)
                    let reply = try await connection.request(["type": "message", "text": "still there?"])
                    #expect(reply["conversation"] as? String == conversation)
                }
                let queue = try await store.conversations(status: .handoff)
                #expect(queue.map(\.id.rawValue) == [conversation])
            }
        }
    }

    @Test("streamed deltas arrive before the reply and carry the request id")
    func deltas() async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(responder: EchoResponder(), store: store) { server async throws in
                try await server.withConnection { connection async throws in
                    try await connection.send(#"{"type":"message","id":3,"text":"stream a b c"}"#)
                    var deltas: [String] = []
                    while let line = try await connection.readLine() {
                        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                        #expect(object["id"] as? Int == 3)
                        if object["type"] as? String == "delta" {
                            deltas.append(object["text"] as! String)
                        } else {
                            #expect(object["type"] as? String == "reply")
                            break
                        }
                    }
                    #expect(deltas == ["a ", "b ", "c "])
                }
            }
        }
    }

    @Test("a FAQ reply says which generator wrote it and keeps its Markdown in JSON mode")
    func generatorField() async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(responder: EchoResponder(), store: store) { server async throws in
                try await server.withConnection { connection async throws in
                    try await connection.send(#"{"type":"message","id":4,"text":"markdown"}"#)
                    let line = try #require(try await connection.readLine())
                    let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
                    #expect(object["generator"] as? String == "llm")
                    #expect(object["text"] as? String == "See **the** [returns page](https://shop.example/returns).")
                    try await connection.send(#"{"type":"message","id":5,"text":"plain"}"#)
                    let plain = try #require(try await connection.readLine())
                    #expect(!plain.contains("generator"))
                }
            }
        }
    }
}
