import Content
import Foundation
import SupportCore

/// Totals of an evaluation run: by category and overall, multi-turn conversations, and every
/// miss by kind.
public struct AnswerEvaluationReport: Sendable {
    /// The scores of a group of turns (a category, or all).
    public struct Score: Sendable, Hashable, Codable {
        public var name: String
        public var turns = 0
        public var routeRight = 0
        public var entryChecked = 0
        public var entryRight = 0
        public var factsPresent = 0
        public var nothingInvented = 0
        public var contradictions = 0
        public var answeredRight = 0
        /// Replies that asked a clarifying question.
        public var clarifications = 0

        public init(name: String) { self.name = name }

        mutating func add(_ verdict: AnswerVerdict) {
            turns += 1
            if verdict.routeRight { routeRight += 1 }
            if let entry = verdict.entryRight {
                entryChecked += 1
                if entry { entryRight += 1 }
            }
            if verdict.factsPresent { factsPresent += 1 }
            if verdict.nothingInvented { nothingInvented += 1 }
            if verdict.contradiction { contradictions += 1 }
            if verdict.answeredRight { answeredRight += 1 }
            if verdict.reply.route == .clarify { clarifications += 1 }
        }

        /// Answered right as a share of turns (0 when there are none).
        public var answeredRightShare: Double { turns == 0 ? 0 : Double(answeredRight) / Double(turns) }
    }

    /// One missed turn, for the misses list.
    public struct MissedTurn: Sendable, Hashable, Codable {
        public var location: String
        public var conversation: String
        public var category: String
        public var text: String
        public var route: String
        public var intent: String
        public var confidence: Double
        public var lead: String?
        public var kinds: [String]
        public var details: [String]
        public var answer: String
    }

    public let results: [AnswerEvaluator.ConversationResult]
    /// Per category, by name.
    public let categories: [Score]
    public let overall: Score
    /// Conversations of more than one turn, and how many of them were right at every turn.
    public let multiTurn: (conversations: Int, fullyRight: Int)
    /// Missed turns by kind of miss.
    public let missCounts: [AnswerVerdict.Miss: Int]

    public init(results: [AnswerEvaluator.ConversationResult]) {
        self.results = results
        var byCategory: [String: Score] = [:]
        var overall = Score(name: "all")
        var missCounts: [AnswerVerdict.Miss: Int] = [:]
        for result in results {
            for verdict in result.verdicts {
                byCategory[result.evaluationCase.category, default: Score(name: result.evaluationCase.category)].add(verdict)
                overall.add(verdict)
                for miss in verdict.misses { missCounts[miss, default: 0] += 1 }
            }
        }
        self.categories = byCategory.values.sorted { $0.name < $1.name }
        self.overall = overall
        self.missCounts = missCounts
        let multi = results.filter { $0.verdicts.count > 1 }
        self.multiTurn = (multi.count, multi.filter(\.fullyRight).count)
    }

    /// Every turn that was not answered right, in set order.
    public var missedTurns: [MissedTurn] {
        results.flatMap { result in
            result.verdicts.filter { !$0.answeredRight }.map { verdict in
                MissedTurn(
                    location: "\(verdict.turn.location)", conversation: result.evaluationCase.name,
                    category: result.evaluationCase.category, text: verdict.turn.text, route: verdict.reply.route.rawValue,
                    intent: verdict.reply.intent, confidence: verdict.reply.confidence, lead: verdict.reply.sources.first?.id,
                    kinds: verdict.details.map(\.0.rawValue), details: verdict.details.map(\.1), answer: verdict.reply.text)
            }
        }
    }
}
