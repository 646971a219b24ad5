import AssistantEvaluation
import Content
import SupportCore
import TestSupport
import Testing

/// The conversation-test runner checked against a responder whose answers are known (the echo
/// responder), so a wrong verdict cannot hide behind routing.
@Suite("Conversation test runner")
struct ConversationTestRunnerTests {
    static func scripts(_ yaml: String) throws -> [ConversationScript] {
        try ConversationScriptParser.parse(yaml, file: "runner.yml")
    }

    @Test("met expectations pass; each missed one is reported with its file:line")
    func verdicts() async throws {
        let scripts = try Self.scripts(
            """
            - conversation: echo passes
              turns:
                - user: hello
                  route: canned
                  intent: echo
                  says: "echo: hello"
                  not_says: goodbye
            - conversation: three misses
              turns:
                - user: hello
                  route: faq
                  says: [goodbye]
                  not_says: [echo]
            """)
        let runner = ConversationTestRunner(assistant: EchoResponder())

        let passing = await runner.run(scripts[0])
        let failing = await runner.run(scripts[1])

        #expect(passing.passed)
        #expect(passing.transcript.map(\.user) == ["hello"])
        #expect(!failing.passed)
        #expect(failing.failures.count == 3)
        #expect(failing.failures.allSatisfy { $0.hasPrefix("runner.yml:10:") })
        #expect(failing.failures.contains { $0.contains("expected route faq, got route canned") })
    }
}
