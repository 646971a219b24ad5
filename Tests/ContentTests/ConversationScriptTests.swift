import Content
import Foundation
import Testing

@Suite("Conversation scripts")
struct ConversationScriptTests {
    @Test("turns, feedback and every expectation key parse into typed steps")
    func parses() throws {
        let text = """
            - conversation: order then thanks
              turns:
                - user: where is my order
                  intent: order_status
                  route: canned
                  says: orders
                - feedback: down
                - user: this is useless
                  route: handoff
                  says: [person, team]
                  not_says: sorry
                  source: returns.md
                  options: [a, b]
            """
        let scripts = try ConversationScriptParser.parse(text, file: "conversations/a.yml")
        let script = try #require(scripts.first)
        #expect(script.name == "order then thanks")
        #expect(script.location.description == "conversations/a.yml:1")
        #expect(script.steps.count == 3)
        guard case .message(let first) = script.steps[0], case .feedback(let rating, _) = script.steps[1],
            case .message(let last) = script.steps[2]
        else {
            Issue.record("unexpected steps \(script.steps)")
            return
        }
        #expect(first.text == "where is my order")
        #expect(first.intent == "order_status")
        #expect(first.route == "canned")
        #expect(first.says == ["orders"])
        #expect(first.location.line == 3)
        #expect(rating == "down")
        #expect(last.says == ["person", "team"])
        #expect(last.notSays == ["sorry"])
        #expect(last.source == "returns.md")
        #expect(last.options == ["a", "b"])
    }

    @Test(
        "malformed scripts are refused at file:line",
        arguments: [
            ("- conversation: x\n  turns:\n    - user: hi\n      rout: canned\n", "a.yml:4", "did you mean"),
            ("- conversation: x\n  turns:\n    - user: hi\n      route: banana\n", "a.yml:4", "route"),
            ("- conversation: x\n  turns: []\n", "a.yml:2", "turns"),
            ("- turns:\n    - user: hi\n", "a.yml:1", "conversation"),
            ("- conversation: x\n  turns:\n    - intent: greeting\n", "a.yml:3", "user"),
            ("- conversation: x\n  turns:\n    - feedback: sideways\n", "a.yml:3", "up or down"),
            ("- conversation: x\n  turns:\n    - feedback: up\n      user: hi\n", "a.yml:3", "no other keys"),
            ("conversation: x\n", "a.yml:1", "list"),
            ("- conversation: x\n  turns: [\n", "a.yml", "YAML"),
            ("# nothing here\n", "a.yml", "no conversations"),
        ])
    func refuses(text: String, location: String, phrase: String) {
        do {
            _ = try ConversationScriptParser.parse(text, file: "a.yml")
            Issue.record("expected an error for:\n\(text)")
        } catch {
            #expect(error.location.description.hasPrefix(location), "\(error)")
            #expect(error.description.localizedCaseInsensitiveContains(phrase), "\(error)")
        }
    }

    @Test("the repository's conversation tests all parse")
    func repositoryScripts() throws {
        let folder = RealContentTests.repository.appendingPathComponent("Tests/conversations")
        let scripts = try ConversationScriptParser.load(directory: folder)
        #expect(scripts.count >= 40)
    }
}
