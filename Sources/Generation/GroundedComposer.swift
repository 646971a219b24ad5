import Foundation
import Content
import Retrieval

/// Settings of the grounded composer, with documented defaults.
public struct ComposerConfiguration: Sendable {
    /// Answers longer than this many sentences are trimmed to the ones that answer the question. Default 4.
    public var maxSentences: Int = 4
    /// A second entry is added only when its score is at least this fraction of the best. Default 0.85.
    public var secondEntryScoreRatio: Double = 0.85
    /// MMR trade-off between relevance (1) and diversity (0) when picking sentences. Default 0.7.
    public var mmrLambda: Double = 0.7

    public init() {}
}

/// The default generator: builds the answer only from the retrieved entries' own sentences,
/// never inventing facts. It takes the best entry's answer, trims a long one to the sentences
/// that answer the question (relevance + MMR for diversity, original order kept), and adds a
/// second entry only when it covers a distinct part of the question.
public struct GroundedComposer: AnswerGenerator {
    public let configuration: ComposerConfiguration

    public init(configuration: ComposerConfiguration = .init()) {
        self.configuration = configuration
    }

    public func generate(
        question: String, hits: [FAQHit], onDelta: @Sendable (String) async -> Void
    ) async -> GeneratedAnswer {
        compose(question: question, hits: hits)
    }

    /// The synchronous core, also used by benchmarks.
    public func compose(question: String, hits: [FAQHit]) -> GeneratedAnswer {
        guard let best = hits.first else {
            return GeneratedAnswer(text: "", sources: [], generator: "composer")
        }
        let queryTerms = TermSet(question)
        var text = excerpt(of: best.entry.answer, for: queryTerms)
        var used = [best]
        if hits.count > 1 {
            let second = hits[1]
            let covered = TermSet(best.entry.question + " " + best.entry.answer)
            let uncovered = queryTerms.terms.subtracting(covered.terms)
            let secondTerms = TermSet(second.entry.question + " " + second.entry.answer)
            if second.score >= best.score * configuration.secondEntryScoreRatio,
               !uncovered.isEmpty, !uncovered.isDisjoint(with: secondTerms.terms) {
                text += "\n\nAlso: " + excerpt(of: second.entry.answer, for: queryTerms)
                used.append(second)
            }
        }
        return GeneratedAnswer(text: text, sources: used, generator: "composer")
    }

    /// The answer itself when short or structured (lists, tables); otherwise its most relevant,
    /// mutually diverse sentences in their original order.
    func excerpt(of answer: String, for query: TermSet) -> String {
        let trimmed = answer.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.contains("\n- ") || trimmed.contains("\n* ") || trimmed.contains("\n1. ") || trimmed.hasPrefix("- ") {
            return trimmed
        }
        let sentences = SentenceSplitter.split(trimmed)
        guard sentences.count > configuration.maxSentences else { return trimmed }
        let termSets = sentences.map(TermSet.init)
        let relevance = termSets.map { query.overlap(with: $0) }
        var chosen: [Int] = []
        var remaining = Set(sentences.indices)
        while chosen.count < configuration.maxSentences - 1, !remaining.isEmpty {
            let pick = remaining.max { lhs, rhs in
                mmr(lhs, relevance, termSets, chosen) < mmr(rhs, relevance, termSets, chosen)
                    || (mmr(lhs, relevance, termSets, chosen) == mmr(rhs, relevance, termSets, chosen) && lhs > rhs)
            }!
            if relevance[pick] == 0, !chosen.isEmpty { break }
            chosen.append(pick)
            remaining.remove(pick)
        }
        // The opening sentence usually states the rule; keep it for context.
        if !chosen.contains(0) { chosen.append(0) }
        return chosen.sorted().map { sentences[$0] }.joined(separator: " ")
    }

    private func mmr(_ index: Int, _ relevance: [Double], _ sets: [TermSet], _ chosen: [Int]) -> Double {
        let redundancy = chosen.map { sets[index].similarity(with: sets[$0]) }.max() ?? 0
        return configuration.mmrLambda * relevance[index] - (1 - configuration.mmrLambda) * redundancy
    }
}
