import Content
import Foundation
import Retrieval
import Store
import SupportCore

/// Folds bot replies (`ReportTurn`s) into the counts and candidate lists a report needs, one
/// turn at a time, so a report over a large store keeps only counts, the newest down-rated
/// answers and the distinct unanswered questions in memory. Feed it with
/// `SQLiteStore.reduceReportTurns`, then hand it to `ReportBuilder.build(_:)` (its
/// configuration's `top` and `excerptLength` shape the down-rated answers it keeps).
public struct ReportAccumulator: Sendable {
    /// The window the turns were selected with (reported, not applied here).
    public let since: Date?
    public let until: Date?
    let configuration: ReportConfiguration

    private(set) var conversations = Set<ConversationID>()
    private(set) var handoffConversations = Set<ConversationID>()
    private(set) var botReplies = 0
    private(set) var routeCounts: [String: Int] = [:]
    /// Route counts per UTC day (days since 1970).
    private(set) var dailyRouteCounts: [Int: [String: Int]] = [:]
    private(set) var ratings: (up: Int, down: Int, comments: Int) = (0, 0, 0)
    private(set) var downRated: [DownRatedAnswer] = []
    /// Unanswered questions keyed by `EnglishAnalyzer.exactKey` (case and punctuation ignored).
    private(set) var questions: [String: QuestionGroup] = [:]
    private(set) var unansweredCount = 0

    public init(since: Date? = nil, until: Date? = nil, configuration: ReportConfiguration = .init()) {
        self.since = since
        self.until = until
        self.configuration = configuration
    }

    /// The route name replies stored without one are counted under.
    static let unknownRoute = "unknown"

    /// Counts one bot reply.
    public mutating func add(_ turn: ReportTurn) {
        botReplies += 1
        conversations.insert(turn.conversation)
        if turn.conversationStatus == .handoff {
            handoffConversations.insert(turn.conversation)
        }
        let route = turn.route ?? Self.unknownRoute
        routeCounts[route, default: 0] += 1
        let day = Int((turn.createdAt.timeIntervalSince1970 / 86_400).rounded(.down))
        dailyRouteCounts[day, default: [:]][route, default: 0] += 1
        let isDown = turn.feedback?.rating == .down
        if let feedback = turn.feedback {
            switch feedback.rating {
            case .up: ratings.up += 1
            case .down: ratings.down += 1
            }
            if let comment = feedback.comment, !comment.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                ratings.comments += 1
            }
        }
        if isDown {
            keepDownRated(turn)
        }
        let isFallback = route == ChatRoute.fallback.rawValue
        // A handoff without a recognised intent: the bot gave up rather than being asked for a person.
        let gaveUp = route == ChatRoute.handoff.rawValue && (turn.intent ?? Intent.outOfScope) == Intent.outOfScope
        if isFallback || gaveUp || isDown, let question = turn.question {
            addUnanswered(question, turn: turn, isFallback: isFallback, gaveUp: gaveUp, isDown: isDown)
        }
    }

    private mutating func keepDownRated(_ turn: ReportTurn) {
        downRated.append(
            DownRatedAnswer(
                conversation: turn.conversation, message: turn.message, createdAt: turn.createdAt, question: turn.question,
                answerExcerpt: Self.excerpt(turn.answer, limit: configuration.excerptLength), route: turn.route,
                intent: turn.intent, confidence: turn.confidence, sources: turn.sources, comment: turn.feedback?.comment))
        if downRated.count >= 2 * configuration.top {
            downRated = Self.newestFirst(downRated, limit: configuration.top)
        }
    }

    private mutating func addUnanswered(
        _ question: String, turn: ReportTurn, isFallback: Bool, gaveUp: Bool, isDown: Bool
    ) {
        let text = question.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else { return }
        unansweredCount += 1
        var key = EnglishAnalyzer.exactKey(text)
        if key.isEmpty { key = text.lowercased() }
        var group = questions[key] ?? QuestionGroup(text: text, lastAsked: turn.createdAt)
        group.count += 1
        if turn.createdAt >= group.lastAsked {
            group.lastAsked = turn.createdAt
            group.text = text
        }
        if isFallback {
            group.fallbacks += 1
            if let intent = turn.intent, intent != Intent.outOfScope {
                group.faqMisses[intent, default: 0] += 1
            }
        }
        if gaveUp {
            group.handoffs += 1
        }
        if isDown {
            group.downRated += 1
            if turn.route == ChatRoute.faq.rawValue, let source = turn.sources.first {
                group.downRatedFAQ += 1
                group.downRatedSources[source, default: 0] += 1
            } else if turn.route == ChatRoute.canned.rawValue, let intent = turn.intent, intent != Intent.outOfScope {
                group.downRatedCanned[intent, default: 0] += 1
            }
        }
        questions[key] = group
    }

    /// The down-rated answers kept, newest first, at most `configuration.top`.
    var newestDownRated: [DownRatedAnswer] {
        Self.newestFirst(downRated, limit: configuration.top)
    }

    static func newestFirst(_ answers: [DownRatedAnswer], limit: Int) -> [DownRatedAnswer] {
        Array(
            answers.sorted {
                $0.createdAt != $1.createdAt ? $0.createdAt > $1.createdAt : $0.message.rawValue < $1.message.rawValue
            }.prefix(limit))
    }

    /// `text` with runs of whitespace collapsed, cut at a word boundary to at most `limit`
    /// characters (including the `…` that marks a cut).
    static func excerpt(_ text: String, limit: Int) -> String {
        let collapsed = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard collapsed.count > limit else { return collapsed }
        var cut = String(collapsed.prefix(limit - 1))
        if let space = cut.lastIndex(of: " "), cut.distance(from: cut.startIndex, to: space) >= limit / 2 {
            cut = String(cut[..<space])
        }
        while let last = cut.last, last.isWhitespace || ",;:.-".contains(last) {
            cut.removeLast()
        }
        return cut + "…"
    }
}

/// One distinct unanswered question and what happened to the times it was asked.
struct QuestionGroup: Sendable, Hashable {
    /// Its most recent spelling.
    var text: String
    var count = 0
    var lastAsked: Date
    /// Times it got a `fallback` reply.
    var fallbacks = 0
    /// Times it got a `handoff` reply with no recognised intent.
    var handoffs = 0
    /// Times its reply was rated down.
    var downRated = 0
    /// Times its reply was a down-rated `faq` answer with sources.
    var downRatedFAQ = 0
    /// The first source of those answers, with counts.
    var downRatedSources: [String: Int] = [:]
    /// Intents of its down-rated `canned` replies, with counts.
    var downRatedCanned: [String: Int] = [:]
    /// In-scope intents stored on its fallback replies (a `route: faq` intent with no FAQ hit).
    var faqMisses: [String: Int] = [:]

    init(text: String, lastAsked: Date) {
        self.text = text
        self.lastAsked = lastAsked
    }

    /// Adds another group's counts (clusters sum their members).
    mutating func absorb(_ other: QuestionGroup) {
        count += other.count
        fallbacks += other.fallbacks
        handoffs += other.handoffs
        downRated += other.downRated
        downRatedFAQ += other.downRatedFAQ
        downRatedSources.merge(other.downRatedSources, uniquingKeysWith: +)
        downRatedCanned.merge(other.downRatedCanned, uniquingKeysWith: +)
        faqMisses.merge(other.faqMisses, uniquingKeysWith: +)
        lastAsked = max(lastAsked, other.lastAsked)
    }
}
