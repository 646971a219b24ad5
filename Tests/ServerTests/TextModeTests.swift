import Foundation
import Server
import ServerTestSupport
import Store
import SupportCore
import TestSupport
import Testing

@Suite("Text mode over real TLS")
struct TextModeTests {
    @Test("a plain line is a message; answers end with an empty line; commands work")
    func conversation() async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(responder: EchoResponder(), store: store) { server async throws in
                try await server.withConnection { connection async throws in
                    try await connection.send("")
                    try await connection.send("where is my order?")
                    #expect(try await connection.textAnswer() == ["echo: where is my order?"])

                    try await connection.send("markdown")
                    #expect(
                        try await connection.textAnswer() == [
                            "See the returns page (https://shop.example/returns).", "[1] How do returns work? (returns.md)",
                        ])

                    try await connection.send("/history")
                    let history = try await connection.textAnswer()
                    #expect(history.count == 4)
                    #expect(history[0].hasSuffix("user: where is my order?"))

                    try await connection.send("/export csv")
                    let csv = try await connection.textAnswer()
                    #expect(csv.first?.contains("conversation") == true)

                    try await connection.send("/nope")
                    #expect(try await connection.textAnswer().first == "Unknown command /nope.")

                    try await connection.send("/new")
                    #expect(try await connection.textAnswer().first?.hasPrefix("Started a new conversation") == true)

                    try await connection.send("{ not really json but text mode is fixed now")
                    #expect(try await connection.textAnswer().first?.hasPrefix("echo: {") == true)

                    try await connection.send("/quit")
                    #expect(try await connection.textAnswer() == ["Goodbye."])
                    #expect(try await connection.readLine() == nil)
                }
                #expect(try await store.conversations(status: .open).count == 2)
            }
        }
    }

    @Test("text mode requires /token first when the server requires auth")
    func tokenRequired() async throws {
        try await withStore { store async throws in
            let token = try await store.createClient(name: "acme", role: .customer)
            try await ServerHarness.run(responder: EchoResponder(), store: store, configure: { $0.requireAuth = true }) {
                server async throws in
                try await server.withConnection { connection async throws in
                    try await connection.send("hello")
                    #expect(try await connection.textAnswer().first?.contains("(unauthorized)") == true)
                    try await connection.send("/token wrong")
                    #expect(try await connection.textAnswer().first?.contains("(unauthorized)") == true)
                    try await connection.send("/token \(token)")
                    #expect(try await connection.textAnswer() == ["Authenticated as acme."])
                    try await connection.send("hello")
                    #expect(try await connection.textAnswer() == ["echo: hello"])
                }
            }
        }
    }
}
