import AssistantEvaluation
import Content
import SupportCore
import Testing

/// The answer scorer on a tiny set whose scores are known in advance: a responder with fixed
/// replies, so every verdict can be worked out by hand.
@Suite("Answer evaluation scorer")
struct AnswerEvaluatorTests {
    /// Fixed replies by message text (a test input for the scorer, not a stand-in for the bot).
    struct FixedReplies: ChatResponder {
        func respond(to turn: ChatTurn, onDelta: @Sendable (String) async -> Void) async -> ChatAnswer {
            let returns = SourceRef(id: "returns.md#window", title: "How long?", file: "returns.md", score: 1)
            switch turn.text {
            case "return window?":
                return ChatAnswer(
                    text: "You have **60 days** to return it.", route: .faq, intent: "returns", confidence: 0.9, sources: [returns])
            case "do gift cards expire?":
                return ChatAnswer(
                    text: "No. Gift cards never expire.", route: .faq, intent: "gift_cards", confidence: 0.8, sources: [returns])
            case "is my old gift card still good?":
                return ChatAnswer(
                    text: "No. Gift cards never expire.", route: .faq, intent: "gift_cards", confidence: 0.8, sources: [returns])
            case "weather in Denver?":
                return ChatAnswer(text: "Sorry, I can't help with that.", route: .fallback, intent: "out_of_scope", confidence: 0.1)
            case "reset my password":
                return ChatAnswer(
                    text: "Use the link; it lasts 30 minutes.", route: .canned, intent: "delete_account", confidence: 0.4)
            default:
                return ChatAnswer(
                    text: "Which one do you mean?", route: .clarify, intent: "returns", confidence: 0.3, options: ["a", "b"])
            }
        }
    }

    static let set = """
        - conversation: right faq answer
          category: faq
          turns:
            - user: return window?
              routes: [faq, canned]
              entries: [returns.md#window]
              facts: ["60 days | sixty days"]
        - conversation: wrong entry and missing fact
          category: faq
          turns:
            - user: return window?
              routes: [faq]
              entries: [returns.md#other]
              facts: ["label"]
        - conversation: polarity trap
          category: polarity
          turns:
            - user: is my old gift card still good?
              routes: [faq]
              not_says: ["No."]
        - conversation: straight yes/no
          category: polarity
          turns:
            - user: do gift cards expire?
              routes: [faq]
              not_says: ["Yes."]
              facts: [never expire]
        - conversation: declined
          category: off_topic
          turns:
            - user: weather in Denver?
              routes: [fallback]
        - conversation: two turns, the second wrong
          category: followup
          turns:
            - user: reset my password
              routes: [canned]
              intents: [reset_password]
              not_says: [minutes]
            - user: something vague
              routes: [clarify, faq]
        """

    @Test("known scores: route, entry, facts, forbidden text, contradictions, answered right, multi-turn")
    func knownScores() async throws {
        let cases = try AnswerEvaluationParser.parse(Self.set, file: "tiny.yml")
        let report = await AnswerEvaluator(responder: FixedReplies()).run(cases)

        #expect(report.overall.turns == 7)
        #expect(report.overall.routeRight == 7)
        #expect(report.overall.entryChecked == 2)
        #expect(report.overall.entryRight == 1)
        #expect(report.overall.factsPresent == 6)
        #expect(report.overall.nothingInvented == 6)
        #expect(report.overall.contradictions == 1)
        #expect(report.overall.clarifications == 1)
        #expect(report.overall.answeredRight == 4)
        #expect(report.multiTurn.conversations == 1)
        #expect(report.multiTurn.fullyRight == 0)
        let polarity = try #require(report.categories.first { $0.name == "polarity" })
        #expect(polarity.answeredRight == 1)
        #expect(report.missCounts[.wrongEntry] == 1)
        #expect(report.missCounts[.missingFact] == 1)
        #expect(report.missCounts[.wrongRoute] == nil)
        #expect(report.missCounts[.wrongIntent] == 1)
        #expect(report.missCounts[.forbiddenText] == 1)
        #expect(report.missCounts[.contradiction] == 1)
        #expect(report.missedTurns.map(\.location) == ["tiny.yml:11", "tiny.yml:18", "tiny.yml:36"])
    }

    @Test("a label file with a mistake is refused with its file:line")
    func badLabels() {
        #expect(throws: ContentError.self) {
            try AnswerEvaluationParser.parse(
                "- conversation: x\n  category: faq\n  turns:\n    - user: hi\n      routes: [answer]\n", file: "bad.yml")
        }
        do {
            _ = try AnswerEvaluationParser.parse("- conversation: x\n  category: faq\n  turns:\n    - user: hi\n", file: "bad.yml")
            Issue.record("a turn without routes was accepted")
        } catch {
            #expect("\(error)".contains("bad.yml:4"))
        }
    }
}
