import Classifier
import Content
import Encoder
import Foundation
import Store
import SupportCore

/// Builds a `ConversationReport` from accumulated bot replies: route and feedback counts, the
/// newest down-rated answers, and the unanswered questions clustered (with the sentence
/// encoder when one is given, otherwise lexical TF-IDF vectors; see `QuestionClusterer`) with
/// a retrain-or-retrieve suggestion per cluster (see `SuggestionRules`; the near-miss rule
/// needs `classifier`). Deterministic for given turns, encoder and classifier.
public struct ReportBuilder: Sendable {
    public var configuration: ReportConfiguration
    /// Embeds questions for clustering; nil clusters on lexical vectors.
    public var embedder: (any TextEmbedder)?
    /// A trained classifier matching the current intents; nil skips the near-miss rule.
    public var classifier: IntentClassifier?

    public init(
        configuration: ReportConfiguration = .init(), embedder: (any TextEmbedder)? = nil,
        classifier: IntentClassifier? = nil
    ) {
        self.configuration = configuration
        self.embedder = embedder
        self.classifier = classifier
    }

    /// The report over `turns` (e.g. `SQLiteStore.reportTurns`), for the window they were
    /// selected with.
    public func build(turns: [ReportTurn], since: Date? = nil, until: Date? = nil) throws(ReportError) -> ConversationReport {
        var accumulator = ReportAccumulator(since: since, until: until, configuration: configuration)
        for turn in turns {
            accumulator.add(turn)
        }
        return try build(accumulator)
    }

    /// The report over what `accumulator` collected.
    public func build(_ accumulator: ReportAccumulator) throws(ReportError) -> ConversationReport {
        try configuration.validate()
        let replies = accumulator.botReplies
        func share(_ count: Int) -> Double { replies > 0 ? Double(count) / Double(replies) : 0 }
        let known = ChatRoute.allCases.map(\.rawValue)
        let others = accumulator.routeCounts.keys.filter { !known.contains($0) }.sorted()
        let routes = (known + others).map { route in
            let count = accumulator.routeCounts[route] ?? 0
            return RouteShare(route: route, count: count, share: share(count))
        }
        let totals = ReportTotals(
            conversations: accumulator.conversations.count, botReplies: replies,
            fallbackRate: share(accumulator.routeCounts[ChatRoute.fallback.rawValue] ?? 0),
            handoffReplies: accumulator.routeCounts[ChatRoute.handoff.rawValue] ?? 0,
            handoffConversations: accumulator.handoffConversations.count)
        let ratings = accumulator.ratings
        let feedback = FeedbackSummary(
            up: ratings.up, down: ratings.down, comments: ratings.comments, ratedShare: share(ratings.up + ratings.down))
        return ConversationReport(
            since: accumulator.since, until: accumulator.until, totals: totals, routes: routes, feedback: feedback,
            downRated: accumulator.newestDownRated, unanswered: unanswered(accumulator), daily: Self.daily(accumulator))
    }

    /// Replies per UTC day, oldest first.
    static func daily(_ accumulator: ReportAccumulator) -> [DailyVolume] {
        accumulator.dailyRouteCounts.keys.sorted().map { day in
            let routes = accumulator.dailyRouteCounts[day] ?? [:]
            let date = Date(timeIntervalSince1970: Double(day) * 86_400)
            let text = date.formatted(.iso8601.year().month().day().dateSeparator(.dash))
            return DailyVolume(day: text, botReplies: routes.values.reduce(0, +), routes: routes)
        }
    }

    /// Clusters the distinct unanswered questions and suggests what to do about each cluster.
    private func unanswered(_ accumulator: ReportAccumulator) -> UnansweredSummary {
        // Most frequent first, then most recent: frequent phrasings seed the clusters, and the
        // cap keeps the questions that matter most.
        let groups = Array(
            accumulator.questions.values.sorted { a, b in
                if a.count != b.count { return a.count > b.count }
                if a.lastAsked != b.lastAsked { return a.lastAsked > b.lastAsked }
                return a.text < b.text
            }.prefix(configuration.maxQuestions))
        let texts = groups.map(\.text)
        let weights = groups.map { Double($0.count) }
        let clusters: [ClusterMembers]
        let mode: String
        let threshold: Double
        let embeddings = texts.isEmpty ? nil : embedder?.embed(texts)
        if let embeddings, embeddings.count == texts.count {
            mode = "embedding"
            threshold = configuration.embeddingThreshold
            clusters = QuestionClusterer(space: DenseSpace(), threshold: threshold).cluster(embeddings, weights: weights)
        } else {
            mode = "lexical"
            threshold = configuration.lexicalThreshold
            clusters = QuestionClusterer(space: SparseSpace(), threshold: threshold)
                .cluster(LexicalVectorizer().vectors(texts), weights: weights)
        }
        let predictions = classifier.map { $0.predictBatch(texts) }
        let rules = SuggestionRules(intentMajority: configuration.intentMajority)
        var built: [QuestionCluster] = clusters.map { cluster in
            var totals = groups[cluster.members[0]]
            for member in cluster.members.dropFirst() {
                totals.absorb(groups[member])
            }
            let informational = cluster.members.reduce(0) { sum, member in
                sum + (SuggestionRules.isInformational(groups[member].text) ? groups[member].count : 0)
            }
            let lean = predictions.flatMap { predictions in
                Self.lean(
                    of: cluster.members, groups: groups, predictions: predictions,
                    floor: configuration.nearMissConfidence)
            }
            let representative = groups[cluster.representative].text
            let examples = cluster.members.filter { $0 != cluster.representative }
                .prefix(configuration.examplesPerCluster).map { groups[$0].text }
            return QuestionCluster(
                count: totals.count, fallbacks: totals.fallbacks, handoffs: totals.handoffs, downRated: totals.downRated,
                representative: representative, examples: examples, lastAsked: totals.lastAsked,
                suggestion: rules.suggest(
                    totals: totals, representative: representative, informational: informational, lean: lean))
        }
        built.sort { a, b in
            if a.count != b.count { return a.count > b.count }
            if a.lastAsked != b.lastAsked { return a.lastAsked > b.lastAsked }
            return a.representative < b.representative
        }
        return UnansweredSummary(
            questions: accumulator.unansweredCount, distinct: accumulator.questions.count, clustering: mode,
            threshold: threshold, classifierUsed: classifier != nil, clusterCount: built.count,
            clusters: Array(built.prefix(configuration.top)))
    }

    /// The in-scope intent most of a cluster's questions have as their top candidate now, with
    /// at least `floor` probability.
    private static func lean(
        of members: [Int], groups: [QuestionGroup], predictions: [Prediction], floor: Double
    ) -> SuggestionRules.IntentLean? {
        var counts: [String: Int] = [:]
        var confidence: [String: Double] = [:]
        var accepted: [String: Int] = [:]
        for member in members {
            let prediction = predictions[member]
            guard let top = prediction.top.first, top.name != Intent.outOfScope, top.confidence >= floor else { continue }
            let weight = groups[member].count
            counts[top.name, default: 0] += weight
            confidence[top.name, default: 0] += top.confidence * Double(weight)
            if prediction.intent == top.name {
                accepted[top.name, default: 0] += weight
            }
        }
        guard let best = SuggestionRules.mostCommon(counts) else { return nil }
        return SuggestionRules.IntentLean(
            intent: best.key, count: best.value, meanConfidence: confidence[best.key, default: 0] / Double(best.value),
            accepted: accepted[best.key, default: 0])
    }
}
