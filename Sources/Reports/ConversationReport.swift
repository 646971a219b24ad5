import Foundation
import Store
import SupportCore

/// The operator report over stored conversations: how replies were routed, what customers
/// rated down, and what the bot could not answer, clustered, with a suggestion per cluster of
/// whether to retrain the classifier (new intent examples) or extend retrieval (a FAQ entry).
/// Built by `ReportBuilder`; rendered with `text()` or `jsonData()`.
public struct ConversationReport: Sendable, Hashable, Codable {
    /// The time window over reply creation times (`since ..< until`); nil bounds are open.
    public var since: Date?
    public var until: Date?
    public var totals: ReportTotals
    /// Every route of `ChatRoute` (zeros included), then any other stored route, by name.
    public var routes: [RouteShare]
    public var feedback: FeedbackSummary
    /// Down-rated answers, newest first, at most `ReportConfiguration.top`.
    public var downRated: [DownRatedAnswer]
    public var unanswered: UnansweredSummary
    /// Bot replies per UTC day with replies, oldest first, by route (the analytics page's chart).
    public var daily: [DailyVolume]

    public init(
        since: Date?, until: Date?, totals: ReportTotals, routes: [RouteShare], feedback: FeedbackSummary,
        downRated: [DownRatedAnswer], unanswered: UnansweredSummary, daily: [DailyVolume] = []
    ) {
        self.daily = daily
        self.since = since
        self.until = until
        self.totals = totals
        self.routes = routes
        self.feedback = feedback
        self.downRated = downRated
        self.unanswered = unanswered
    }
}

/// One UTC day's bot replies, by route.
public struct DailyVolume: Sendable, Hashable, Codable {
    /// `YYYY-MM-DD`, UTC.
    public var day: String
    public var botReplies: Int
    /// Replies per route name (only routes that occurred).
    public var routes: [String: Int]

    public init(day: String, botReplies: Int, routes: [String: Int]) {
        self.day = day
        self.botReplies = botReplies
        self.routes = routes
    }
}

/// Counts over every bot reply in the window.
public struct ReportTotals: Sendable, Hashable, Codable {
    /// Conversations with at least one bot reply in the window.
    public var conversations: Int
    public var botReplies: Int
    /// Replies routed `fallback` divided by all replies (0 when there are none).
    public var fallbackRate: Double
    /// Replies routed `handoff`.
    public var handoffReplies: Int
    /// Conversations of the window whose status is `handoff` now (waiting for a person).
    public var handoffConversations: Int

    public init(conversations: Int, botReplies: Int, fallbackRate: Double, handoffReplies: Int, handoffConversations: Int) {
        self.conversations = conversations
        self.botReplies = botReplies
        self.fallbackRate = fallbackRate
        self.handoffReplies = handoffReplies
        self.handoffConversations = handoffConversations
    }
}

/// How many replies took one route, and their share of all replies.
public struct RouteShare: Sendable, Hashable, Codable {
    /// The route name (`unknown` for replies stored without one).
    public var route: String
    public var count: Int
    /// `count` divided by all replies (0 when there are none).
    public var share: Double

    public init(route: String, count: Int, share: Double) {
        self.route = route
        self.count = count
        self.share = share
    }
}

/// Customer ratings of the window's replies.
public struct FeedbackSummary: Sendable, Hashable, Codable {
    public var up: Int
    public var down: Int
    /// Ratings that came with a comment.
    public var comments: Int
    /// Rated replies divided by all replies (0 when there are none).
    public var ratedShare: Double

    public init(up: Int, down: Int, comments: Int, ratedShare: Double) {
        self.up = up
        self.down = down
        self.comments = comments
        self.ratedShare = ratedShare
    }
}

/// One answer a customer rated down, with what they had asked.
public struct DownRatedAnswer: Sendable, Hashable, Codable {
    public var conversation: ConversationID
    public var message: MessageID
    public var createdAt: Date
    /// The customer's message the answer replied to, if the reply had one.
    public var question: String?
    /// The start of the answer (whitespace collapsed, cut at a word with `…`).
    public var answerExcerpt: String
    public var route: String?
    public var intent: String?
    public var confidence: Double?
    /// Ids of the FAQ entries the answer cited.
    public var sources: [String]
    public var comment: String?

    public init(
        conversation: ConversationID, message: MessageID, createdAt: Date, question: String?, answerExcerpt: String,
        route: String?, intent: String?, confidence: Double?, sources: [String], comment: String?
    ) {
        self.conversation = conversation
        self.message = message
        self.createdAt = createdAt
        self.question = question
        self.answerExcerpt = answerExcerpt
        self.route = route
        self.intent = intent
        self.confidence = confidence
        self.sources = sources
        self.comment = comment
    }
}

/// The questions the bot did not answer (`fallback` replies, and `handoff` replies with no
/// recognised intent: the bot gave up) or answered badly (down-rated replies), clustered.
public struct UnansweredSummary: Sendable, Hashable, Codable {
    /// Unanswered questions in the window, repeats included.
    public var questions: Int
    /// Distinct questions (same words, ignoring case and punctuation) among them.
    public var distinct: Int
    /// How questions were compared: `embedding` (sentence encoder) or `lexical` (TF-IDF).
    public var clustering: String
    /// The cosine similarity at which a question joined a cluster.
    public var threshold: Double
    /// Whether a trained classifier informed the suggestions (the near-miss rule).
    public var classifierUsed: Bool
    /// All clusters found (only the largest `ReportConfiguration.top` are listed).
    public var clusterCount: Int
    /// The largest clusters, by size then most recent question.
    public var clusters: [QuestionCluster]

    public init(
        questions: Int, distinct: Int, clustering: String, threshold: Double, classifierUsed: Bool, clusterCount: Int,
        clusters: [QuestionCluster]
    ) {
        self.questions = questions
        self.distinct = distinct
        self.clustering = clustering
        self.threshold = threshold
        self.classifierUsed = classifierUsed
        self.clusterCount = clusterCount
        self.clusters = clusters
    }
}

/// Similar unanswered questions, with what to do about them.
public struct QuestionCluster: Sendable, Hashable, Codable {
    /// Questions in the cluster, repeats included.
    public var count: Int
    /// The fallback replies, the out-of-scope handoffs and the down-rated replies among them.
    public var fallbacks: Int
    public var handoffs: Int
    public var downRated: Int
    /// The question closest to the cluster's centroid.
    public var representative: String
    /// Other questions of the cluster, most frequent first.
    public var examples: [String]
    /// When its most recent question was asked.
    public var lastAsked: Date
    public var suggestion: Suggestion

    public init(
        count: Int, fallbacks: Int, handoffs: Int, downRated: Int, representative: String, examples: [String],
        lastAsked: Date, suggestion: Suggestion
    ) {
        self.count = count
        self.fallbacks = fallbacks
        self.handoffs = handoffs
        self.downRated = downRated
        self.representative = representative
        self.examples = examples
        self.lastAsked = lastAsked
        self.suggestion = suggestion
    }
}

/// The report's answer to "retrain or retrieve?" for one cluster. See `SuggestionRules`.
public struct Suggestion: Sendable, Hashable, Codable {
    /// Retrain the classifier (edit `intents/`) or extend retrieval (edit `faqs/`).
    public enum Strategy: String, Sendable, Hashable, Codable, CaseIterable {
        case retrain, rag
    }

    /// Which rule of `SuggestionRules` fired.
    public enum Rule: String, Sendable, Hashable, Codable, CaseIterable {
        /// Down-rated FAQ answers: the entry they cited is wrong or incomplete.
        case fixFAQEntry = "fix_faq_entry"
        /// Down-rated canned answers: the intent's answer (or its examples) needs fixing.
        case fixIntentAnswer = "fix_intent_answer"
        /// Recognised as a `route: faq` intent, but the knowledge base had nothing to say.
        case faqIntentWithoutEntry = "faq_intent_without_entry"
        /// The classifier leans to one existing intent without reaching its threshold.
        case nearMissIntent = "near_miss_intent"
        /// Questions asking for information no FAQ entry gives.
        case informationalQuestion = "informational_question"
        /// Requests for something the bot has no intent for.
        case newIntent = "new_intent"

        /// Whether the rule's fix is retraining or retrieval.
        public var strategy: Strategy {
            switch self {
            case .fixFAQEntry, .faqIntentWithoutEntry, .informationalQuestion: .rag
            case .fixIntentAnswer, .nearMissIntent, .newIntent: .retrain
            }
        }
    }

    public var strategy: Strategy
    public var rule: Rule
    /// The intent to add examples to (`nearMissIntent`), whose answer to fix (`fixIntentAnswer`)
    /// or that had no FAQ entry (`faqIntentWithoutEntry`).
    public var intent: String?
    /// The FAQ entry id to fix (`fixFAQEntry`).
    public var source: String?
    /// What to do, in one line (e.g. `RAG: add a FAQ entry answering "…"`).
    public var action: String
    /// Why, in one line, with the counts behind it.
    public var reason: String

    public init(rule: Rule, intent: String? = nil, source: String? = nil, action: String, reason: String) {
        self.strategy = rule.strategy
        self.rule = rule
        self.intent = intent
        self.source = source
        self.action = action
        self.reason = reason
    }
}
