import Classifier
import Content
import Foundation
import Logging
import Reports
import Store
import SupportCore
import TestSupport
import Testing

/// A conversation store in a fresh temporary directory, seeded reply by reply through the real
/// `SQLiteStore` API.
final class ReportStore: Sendable {
    let directory: URL
    let store: SQLiteStore

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var logger = Logger(label: "test.report")
        logger.logLevel = .critical
        store = try SQLiteStore.open(directory: directory, logger: logger)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    /// Appends a customer message and the bot's reply to `conversation` (a new one when nil),
    /// rates the reply when `rating` is given, and returns the conversation.
    @discardableResult
    func reply(
        _ question: String, route: ChatRoute, intent: String = "out_of_scope", confidence: Double = 0.3,
        sources: [String] = [], rating: Rating? = nil, comment: String? = nil, conversation: ConversationID? = nil
    ) async throws -> ConversationID {
        let id: ConversationID
        if let conversation {
            id = conversation
        } else {
            id = try await store.createConversation(client: "web", metadata: nil).id
        }
        let refs = sources.map { SourceRef(id: $0, title: $0, file: String($0.prefix { $0 != "#" }), score: 0.8) }
        let stored = try await store.append(
            [
                NewMessage(role: .user, text: question),
                NewMessage(
                    role: .bot, text: "Reply to: \(question)", intent: intent, confidence: confidence, route: route.rawValue,
                    sources: refs),
            ], to: id)
        if let rating {
            try await store.recordFeedback(message: stored[1].id, rating: rating, comment: comment)
        }
        return id
    }

    /// Fallback replies (out of scope) to each question.
    func fallbacks(_ questions: [String]) async throws {
        for question in questions {
            try await reply(question, route: .fallback)
        }
    }

    func report(
        _ configuration: ReportConfiguration = .init(), classifier: IntentClassifier? = nil
    ) async throws
        -> ConversationReport
    {
        let turns = try await store.reportTurns()
        return try ReportBuilder(configuration: configuration, classifier: classifier).build(turns: turns)
    }
}

@Suite("Operator report: routes, feedback, clusters, retrain-or-retrieve suggestions")
struct ReportTests {
    static let kayaks = ["do you sell kayaks", "do you sell kayaks?", "which kayaks do you sell", "do you sell inflatable kayaks"]
    static let bitcoin = ["can I pay with bitcoin", "pay with bitcoin?", "is bitcoin accepted as a way to pay"]
    /// Unrelated questions, so that TF-IDF weights are not those of a single-topic corpus.
    static let background = ["my dog ate my receipt", "what time is it in tokyo", "tell me a joke about tents"]

    /// The cluster whose representative or examples include `text`.
    static func cluster(containing text: String, in report: ConversationReport) throws -> QuestionCluster {
        try #require(report.unanswered.clusters.first { $0.representative == text || $0.examples.contains(text) })
    }
    static let catalog = ["send me a paper catalog", "mail me your paper catalog please", "I want a paper catalog mailed to me"]

    @Test("routes, fallback rate, handoffs and feedback are counted exactly")
    func totals() async throws {
        let seeded = try ReportStore()
        let first = try await seeded.reply(
            "where is my order", route: .canned, intent: "order_status", confidence: 0.9, rating: .up)
        try await seeded.reply("hello", route: .canned, intent: "greeting", confidence: 0.95, conversation: first)
        try await seeded.reply(
            "how do I wash my down jacket", route: .faq, intent: "product_care", confidence: 0.8,
            sources: ["care.md#washing-down"], rating: .down, comment: "it says nothing about down", conversation: first)
        let second = try await seeded.reply("thanks", route: .canned, intent: "thanks", confidence: 0.9, rating: .up)
        try await seeded.reply("do you ship to mars", route: .fallback, conversation: second)
        try await seeded.reply(
            "how long does shipping take", route: .faq, intent: "shipping_policy", confidence: 0.9,
            sources: ["shipping.md#how-long"], conversation: second)
        let third = try await seeded.reply("my dog ate my boots", route: .fallback)
        try await seeded.reply("talk to a person", route: .handoff, intent: "talk_to_human", confidence: 0.9, conversation: third)
        _ = try await seeded.store.setStatus(.handoff, conversation: third)

        let report = try await seeded.report()
        #expect(report.totals.conversations == 3)
        #expect(report.totals.botReplies == 8)
        #expect(report.totals.fallbackRate == 0.25)
        #expect(report.totals.handoffReplies == 1)
        #expect(report.totals.handoffConversations == 1)
        #expect(report.routes.map(\.route) == ["canned", "faq", "clarify", "fallback", "handoff", "agent"])
        #expect(report.routes.map(\.count) == [3, 2, 0, 2, 1, 0])
        #expect(report.routes.map(\.share) == [0.375, 0.25, 0, 0.25, 0.125, 0])
        #expect(report.feedback.up == 2)
        #expect(report.feedback.down == 1)
        #expect(report.feedback.comments == 1)
        #expect(report.feedback.ratedShare == 0.375)
        #expect(report.downRated.count == 1)
        let down = try #require(report.downRated.first)
        #expect(down.question == "how do I wash my down jacket")
        #expect(down.answerExcerpt == "Reply to: how do I wash my down jacket")
        #expect(down.route == "faq")
        #expect(down.intent == "product_care")
        #expect(down.sources == ["care.md#washing-down"])
        #expect(down.comment == "it says nothing about down")
        #expect(report.unanswered.questions == 3)
        #expect(report.unanswered.distinct == 3)
        #expect(report.unanswered.clustering == "lexical")
        #expect(report.unanswered.clusters.map(\.count).reduce(0, +) == 3)
    }

    @Test("a handoff without a recognised intent is unanswered; a requested handoff is not")
    func handoffs() async throws {
        let seeded = try ReportStore()
        try await seeded.reply("talk to a person", route: .handoff, intent: "talk_to_human", confidence: 0.95)
        try await seeded.reply("my dog ate my receipt", route: .handoff)
        try await seeded.reply("the dog chewed up my receipt", route: .fallback)
        let report = try await seeded.report()
        #expect(report.totals.handoffReplies == 2)
        #expect(report.unanswered.questions == 2)
        let cluster = try Self.cluster(containing: "my dog ate my receipt", in: report)
        #expect(cluster.count == 2)
        #expect(cluster.fallbacks == 1)
        #expect(cluster.handoffs == 1)
        #expect(report.text().contains("(1 fallback, 1 handed off, 0 down-rated;"))
    }

    @Test("down-rated answers are listed newest first, at most top")
    func downRatedNewestFirst() async throws {
        let seeded = try ReportStore()
        for question in ["first complaint", "second complaint", "third complaint"] {
            try await seeded.reply(question, route: .canned, intent: "complaint", rating: .down)
            try await Task.sleep(for: .milliseconds(5))
        }
        var configuration = ReportConfiguration()
        configuration.top = 2
        let report = try await seeded.report(configuration)
        #expect(report.downRated.map(\.question) == ["third complaint", "second complaint"])
        #expect(report.feedback.down == 3)
    }

    @Test("lexical clustering groups paraphrases together and keeps unrelated questions apart")
    func lexicalClusters() async throws {
        let seeded = try ReportStore()
        try await seeded.fallbacks(Self.kayaks + Self.bitcoin + ["my dog ate my receipt"] + Self.catalog)
        let report = try await seeded.report()
        let clusters = report.unanswered.clusters
        #expect(report.unanswered.questions == 11)
        #expect(report.unanswered.distinct == 10)  // "do you sell kayaks" and "…?" are the same words
        #expect(clusters.count == 4)
        #expect(report.unanswered.clusterCount == 4)
        let members = clusters.map { Set([$0.representative] + $0.examples) }
        #expect(clusters.map(\.count) == [4, 3, 3, 1])
        #expect(members[0] == ["do you sell kayaks?", "which kayaks do you sell", "do you sell inflatable kayaks"])
        #expect(Set(members[1...2]) == [Set(Self.bitcoin), Set(Self.catalog)])
        #expect(members[3] == ["my dog ate my receipt"])
        #expect(clusters[0].representative == "do you sell kayaks?")
        #expect(clusters.allSatisfy { $0.fallbacks == $0.count && $0.downRated == 0 })
    }

    @Test("a question clustered before the phrasing that links it to a cluster still joins it (merge step)")
    func mergeStep() async throws {
        // Newest first: "swap these boots" seeds a cluster, "another colour" is too far from it
        // alone (cosine 0.28) and starts its own, then "the jacket colour is wrong" joins one;
        // the merge step joins the two clusters.
        let questions = [
            "the jacket colour is wrong, swap it", "swap my jacket for another colour", "swap these boots, wrong colour",
        ]
        let seeded = try ReportStore()
        try await seeded.fallbacks(questions + Self.background)
        let report = try await seeded.report()
        let cluster = try Self.cluster(containing: questions[1], in: report)
        #expect(cluster.count == 3)
        #expect(report.unanswered.clusterCount == 4)
        #expect(cluster.representative == questions[0])
    }

    @Test("the report does not depend on the order the turns come in")
    func deterministic() async throws {
        let seeded = try ReportStore()
        try await seeded.fallbacks(Self.bitcoin + Self.kayaks + Self.catalog)
        let turns = try await seeded.store.reportTurns()
        let forward = try ReportBuilder().build(turns: turns)
        let backward = try ReportBuilder().build(turns: turns.reversed())
        #expect(forward == backward)
    }

    @Test("questions asking for information get a new FAQ entry (RAG)")
    func informational() async throws {
        let seeded = try ReportStore()
        try await seeded.fallbacks(Self.kayaks + Self.background)
        let cluster = try Self.cluster(containing: "which kayaks do you sell", in: try await seeded.report())
        #expect(cluster.count == 4)
        #expect(cluster.suggestion.rule == .informationalQuestion)
        #expect(cluster.suggestion.strategy == .rag)
        #expect(cluster.suggestion.action == "RAG: add a FAQ entry answering '\(cluster.representative)'")
        #expect(cluster.suggestion.reason.hasPrefix("4 of 4 are questions"))
    }

    @Test("requests the bot has no intent for get a new intent (retrain)")
    func newIntent() async throws {
        let seeded = try ReportStore()
        try await seeded.fallbacks(Self.catalog + Self.background)
        let cluster = try Self.cluster(containing: Self.catalog[0], in: try await seeded.report())
        #expect(cluster.count == 3)
        #expect(cluster.suggestion.rule == .newIntent)
        #expect(cluster.suggestion.strategy == .retrain)
        #expect(cluster.suggestion.action == "retrain: a new intent with these examples")
    }

    @Test("down-rated FAQ answers point at the entry to fix (RAG), even for questions")
    func fixFAQEntry() async throws {
        let seeded = try ReportStore()
        for question in ["how do I wash my down jacket", "how do I wash a down jacket?", "can I machine wash my down jacket"] {
            try await seeded.reply(
                question, route: .faq, intent: "product_care", confidence: 0.8, sources: ["care.md#washing", "care.md#drying"],
                rating: .down)
        }
        try await seeded.fallbacks(Self.background)
        let cluster = try Self.cluster(containing: "how do I wash a down jacket?", in: try await seeded.report())
        #expect(cluster.count == 3)
        #expect(cluster.downRated == 3)
        #expect(cluster.fallbacks == 0)
        #expect(cluster.suggestion.rule == .fixFAQEntry)
        #expect(cluster.suggestion.strategy == .rag)
        #expect(cluster.suggestion.source == "care.md#washing")
        #expect(cluster.suggestion.action == "RAG: fix or extend the FAQ entry care.md#washing")
    }

    @Test("a faq intent with no matching entry gets a new FAQ entry (RAG), even for requests")
    func faqIntentWithoutEntry() async throws {
        let seeded = try ReportStore()
        for question in ["shipping time to antarctica", "shipping to antarctica", "antarctica shipping time please"] {
            try await seeded.reply(question, route: .fallback, intent: "shipping_policy", confidence: 0.7)
        }
        try await seeded.fallbacks(Self.background)
        let cluster = try Self.cluster(containing: "shipping to antarctica", in: try await seeded.report())
        #expect(cluster.count == 3)
        #expect(cluster.suggestion.rule == .faqIntentWithoutEntry)
        #expect(cluster.suggestion.intent == "shipping_policy")
        #expect(cluster.suggestion.strategy == .rag)
    }

    @Test("with a classifier, questions leaning to one intent become its examples (retrain)")
    func nearMissIntent() async throws {
        let questions = [
            "exchange these boots for a bigger size", "I want to exchange my boots for another size",
            "exchange boots for a different size please",
        ]
        let seeded = try ReportStore()
        try await seeded.fallbacks(questions + Self.background)
        let report = try await seeded.report(classifier: AssistantFixture.classifier)
        #expect(report.unanswered.classifierUsed)
        let cluster = try Self.cluster(containing: questions[1], in: report)
        #expect(cluster.count == 3)
        #expect(cluster.suggestion.rule == .nearMissIntent)
        #expect(cluster.suggestion.intent == "exchange_item")
        #expect(cluster.suggestion.strategy == .retrain)
        #expect(cluster.suggestion.action == "retrain: add these as examples of intent exchange_item")
        #expect(cluster.suggestion.reason.contains(" of 3 lean to exchange_item (mean confidence 0."))

        // A top candidate below nearMissConfidence is a guess, not a near miss.
        let guess = try Self.cluster(containing: "my dog ate my receipt", in: report)
        #expect(guess.suggestion.rule == .newIntent)
        // Without the classifier the same requests fall to the last rule.
        let without = try Self.cluster(containing: questions[1], in: try await seeded.report())
        #expect(without.suggestion.rule == .newIntent)
        #expect(without.suggestion.reason == "3 of 3 are requests, not questions, and no intent covers them")
    }

    @Test("down-rated canned answers point at the intent whose answer to fix (retrain)")
    func fixIntentAnswer() async throws {
        let seeded = try ReportStore()
        for question in ["can I pay with bitcoin", "pay with bitcoin?", "is bitcoin accepted as a way to pay"] {
            try await seeded.reply(question, route: .canned, intent: "payment_methods", confidence: 0.97, rating: .down)
        }
        try await seeded.fallbacks(Self.background)
        let cluster = try Self.cluster(containing: "pay with bitcoin?", in: try await seeded.report())
        #expect(cluster.count == 3)
        #expect(cluster.suggestion.rule == .fixIntentAnswer)
        #expect(cluster.suggestion.strategy == .retrain)
        #expect(cluster.suggestion.intent == "payment_methods")
        #expect(cluster.suggestion.reason == "3 of 3 were down-rated canned answers of payment_methods")
    }

    @Test(
        "what counts as a question asking for information",
        arguments: [
            ("do you sell kayaks", true), ("Where is my refund", true), ("hi, how do returns work", true),
            ("my boots leak?", true), ("Should I size up", true), ("send me a catalog", false),
            ("I want to speak to a manager", false), ("hello", false), ("", false),
        ])
    func informationalText(text: String, expected: Bool) {
        #expect(SuggestionRules.isInformational(text) == expected)
    }

    @Test("the JSON output decodes with JSONDecoder and the text output has every section")
    func outputs() async throws {
        let seeded = try ReportStore()
        try await seeded.fallbacks(Self.kayaks)
        try await seeded.reply("wash my jacket", route: .faq, sources: ["care.md#washing"], rating: .down, comment: "wrong")
        let since = try #require(RFC3339.date(from: "2020-01-01"))
        let turns = try await seeded.store.reportTurns(since: since)
        let report = try ReportBuilder().build(turns: turns, since: since)
        let data = try report.jsonData()

        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            return try #require(RFC3339.date(from: text))
        }
        let decoded = try decoder.decode(ConversationReport.self, from: data)
        #expect(decoded.totals == report.totals)
        #expect(decoded.routes == report.routes)
        #expect(decoded.since == since)
        #expect(decoded.unanswered.clusters.map(\.suggestion) == report.unanswered.clusters.map(\.suggestion))
        #expect(decoded.downRated.map(\.message) == report.downRated.map(\.message))
        #expect(decoded.text() == report.text())
        #expect(try ConversationReport.decode(data).totals == report.totals)
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let totals = try #require(object["totals"] as? [String: Any])
        #expect(totals["botReplies"] as? Int == 5)
        #expect(object["since"] as? String == "2020-01-01T00:00:00.000Z")

        let text = report.text(source: "state/supportbot.sqlite")
        for heading in [
            "SupportBot report on state/supportbot.sqlite: replies since 2020-01-01 00:00Z", "\nRoutes\n",
            "\nFeedback\n", "\nDown-rated answers (1 of 1, newest first)\n", "\nUnanswered questions (5 asked", "→ RAG: ",
        ] {
            #expect(text.contains(heading), "missing \(heading)")
        }
        #expect(text.contains("  fallback      4   80.0 %"))
        #expect(text.contains("comment:  wrong"))
    }

    @Test("configuration out of range is refused")
    func badConfiguration() throws {
        var configuration = ReportConfiguration()
        configuration.lexicalThreshold = 0
        #expect(throws: ReportError.self) { try ReportBuilder(configuration: configuration).build(turns: []) }
    }
}

/// The sample domain's intents with a lexical-only classifier, trained once per test process.
enum AssistantFixture {
    static let classifier: IntentClassifier = {
        do {
            let intents = try IntentLoader(directory: repositoryRoot.appendingPathComponent("intents")).load()
            return try IntentClassifier.train(intents, embedder: nil)
        } catch {
            preconditionFailure("training on the sample intents must succeed: \(error)")
        }
    }()
}

@Suite("Operator report: replies per day")
struct DailyVolumeTests {
    @Test("replies are counted per UTC day and route, oldest day first, days without replies left out")
    func perDay() throws {
        let conversation = ConversationID.random()
        func turn(_ time: String, _ route: String?) throws -> ReportTurn {
            ReportTurn(
                conversation: conversation, conversationStatus: .open, message: MessageID.random(), seq: 2,
                question: "q", answer: "a", route: route, intent: nil, confidence: nil, sources: [],
                createdAt: try Date(time, strategy: .iso8601), feedback: nil)
        }
        var accumulator = ReportAccumulator()
        // Out of order, across midnight UTC, with a gap day and a reply stored without a route.
        for (time, route) in [
            ("2026-12-03T23:59:59Z", "faq"), ("2026-12-01T10:00:00Z", "canned"), ("2026-12-03T00:00:00Z", "canned"),
            ("2026-12-01T23:00:00Z", "fallback"), ("2026-12-04T00:00:00Z", nil), ("2026-12-01T00:00:01Z", "canned"),
        ] as [(String, String?)] {
            accumulator.add(try turn(time, route))
        }
        let report = try ReportBuilder().build(accumulator)
        #expect(report.daily.map(\.day) == ["2026-12-01", "2026-12-03", "2026-12-04"])
        #expect(report.daily.map(\.botReplies) == [3, 2, 1])
        #expect(report.daily[0].routes == ["canned": 2, "fallback": 1])
        #expect(report.daily[1].routes == ["faq": 1, "canned": 1])
        #expect(report.daily[2].routes == ["unknown": 1])
        #expect(report.daily.map(\.botReplies).reduce(0, +) == report.totals.botReplies)
    }
}
