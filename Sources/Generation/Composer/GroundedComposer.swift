import Content
import Foundation
import Retrieval
import SupportCore

/// The default generator: builds the answer only from the retrieved entries' own text, never
/// inventing facts. It takes the best entry's answer, trims a long one to the units that answer
/// the question (sentences scored against the question, MMR for diversity, original order kept,
/// lists kept whole with their lead-in), and adds part of a second entry only when that entry
/// covers a part of the question the first one does not.
public struct GroundedComposer: AnswerGenerator {
    public let configuration: ComposerConfiguration
    private let analyzer: EnglishAnalyzer

    public init(configuration: ComposerConfiguration = .init()) {
        self.configuration = configuration
        self.analyzer = EnglishAnalyzer(stopwords: Self.stopwords)
    }

    /// The retrieval stop list plus modal and filler words that say how a question is asked, not
    /// what it is about ("can I …", "I want to …"): they must not make a second entry look like
    /// it covers another part of the question.
    static let stopwords = EnglishStopwords.standard.union([
        "can", "will", "may", "might", "must", "shall", "get", "got", "want", "need", "please", "know", "tell",
        "also", "just", "still",
    ])

    public func generate(
        question: String, hits: [FAQHit], onDelta: @Sendable (String) async -> Void
    ) async -> GeneratedAnswer {
        compose(question: question, hits: hits)
    }

    /// The synchronous core: the answer to `question` from `hits` (best first). Also used by
    /// the LLM generator's fallback and by benchmarks.
    public func compose(question: String, hits: [FAQHit]) -> GeneratedAnswer {
        guard let best = hits.first else {
            return GeneratedAnswer(text: "", sources: [], generator: GeneratedAnswer.composer)
        }
        let query = TermSet(question, analyzer: analyzer)
        var text = excerpt(
            of: best.entry, for: query, entryQuestionWeight: configuration.entryQuestionWeight,
            budget: configuration.maxSentences)
        if !asksEntryQuestion(query, best.entry) {
            text = Self.droppingPolarityOpener(text)
        }
        var used = [best]
        if let second = secondEntry(for: query, best: best, candidates: hits.dropFirst()) {
            let part = excerpt(
                of: second.hit.entry, for: second.uncovered, entryQuestionWeight: 0,
                budget: configuration.secondEntryMaxSentences)
            text += "\n\n" + configuration.secondEntryConnective + part
            used.append(second.hit)
        }
        return GeneratedAnswer(text: text, sources: used, generator: GeneratedAnswer.composer)
    }

    /// The first candidate (close enough in score to the best) whose question is about words
    /// of the customer's question that the best entry does not mention at all, with those
    /// words: the distinct part of the question it answers. A word the candidate only mentions
    /// in passing in its answer is not enough.
    private func secondEntry(
        for query: TermSet, best: FAQHit, candidates: ArraySlice<FAQHit>
    ) -> (hit: FAQHit, uncovered: TermSet)? {
        let uncovered = query.terms.subtracting(questionTerms(best.entry)).subtracting(analyzer.terms(best.entry.answer))
        guard !uncovered.isEmpty else { return nil }
        for candidate in candidates where candidate.score >= best.score * configuration.secondEntryScoreRatio {
            guard candidate.entry.answer != best.entry.answer,
                !uncovered.isDisjoint(with: questionTerms(candidate.entry))
            else { continue }
            let focus = uncovered.intersection(questionTerms(candidate.entry).union(analyzer.terms(candidate.entry.answer)))
            return (candidate, TermSet(terms: focus))
        }
        return nil
    }

    /// Whether the customer asked the entry's own question (or one of its alternates): every
    /// content word of it, and little else. Only then may the answer keep the entry's leading
    /// "Yes."/"No.": asked any other way ("is my old gift card still good?" of "Do gift cards
    /// expire? No. …"), the same word could say the opposite.
    func asksEntryQuestion(_ query: TermSet, _ entry: FAQEntry) -> Bool {
        ([entry.question] + entry.alternates).contains { phrasing in
            let terms = Set(analyzer.terms(phrasing))
            guard !terms.isEmpty, terms.isSubset(of: query.terms) else { return false }
            return query.terms.subtracting(terms).count <= configuration.polarityExtraTerms
        }
    }

    /// `text` without a leading bare "Yes"/"No" (followed by `.`, `,`, `!` or `;`), the rest
    /// starting with a capital: what remains is the entry's own statement, true however the
    /// question was put.
    static func droppingPolarityOpener(_ text: String) -> String {
        for opener in ["Yes", "No"] {
            guard text.hasPrefix(opener) else { continue }
            let rest = text.dropFirst(opener.count)
            guard let mark = rest.first, ".,!;".contains(mark) else { return text }
            let body = rest.dropFirst().drop(while: \.isWhitespace)
            guard let first = body.first else { return text }
            return first.uppercased() + body.dropFirst()
        }
        return text
    }

    /// Terms of the entry's question and its alternate phrasings: what the entry is about.
    private func questionTerms(_ entry: FAQEntry) -> Set<String> {
        var terms = Set(analyzer.terms(entry.question))
        for alternate in entry.alternates { terms.formUnion(analyzer.terms(alternate)) }
        return terms
    }

    /// The entry's answer itself when it has at most `budget` units; otherwise its most
    /// relevant, mutually diverse units in their original order. The opening unit usually
    /// states the rule, so it is always kept; when nothing matches the question at all, the
    /// answer's opening units are used.
    func excerpt(of entry: FAQEntry, for query: TermSet, entryQuestionWeight: Double, budget: Int) -> String {
        let answer = entry.answer.trimmingWhitespace()
        let document = AnswerUnits(answer)
        let units = document.units
        guard units.count > budget, budget > 0 else { return answer }

        let sets = units.map { TermSet($0.text, analyzer: analyzer) }
        let weights = Self.idfWeights(sets)
        let entryQuestion = TermSet(entry.question, analyzer: analyzer)
        let relevance = sets.map { set in
            Self.weightedOverlap(query, set, weights) + entryQuestionWeight * Self.weightedOverlap(entryQuestion, set, weights)
        }
        guard relevance.contains(where: { $0 > 0 }) else {
            return document.join(Array(0..<budget))
        }
        var chosen = [0]
        var remaining = Array(1..<units.count)
        while chosen.count < budget, !remaining.isEmpty {
            var bestPosition = 0
            var bestScore = -Double.infinity
            for (position, index) in remaining.enumerated() {
                let redundancy = chosen.map { sets[index].similarity(with: sets[$0]) }.max() ?? 0
                let score = configuration.mmrLambda * relevance[index] - (1 - configuration.mmrLambda) * redundancy
                if score > bestScore {
                    bestScore = score
                    bestPosition = position
                }
            }
            let pick = remaining.remove(at: bestPosition)
            guard relevance[pick] > 0 else { break }
            chosen.append(pick)
        }
        return document.join(chosen)
    }

    /// Inverse document frequency of each term over the answer's units: words every sentence
    /// shares ("shipping" in a shipping answer) say little about which sentence answers.
    private static func idfWeights(_ sets: [TermSet]) -> [String: Double] {
        var frequency: [String: Int] = [:]
        for set in sets {
            for term in set.terms { frequency[term, default: 0] += 1 }
        }
        let count = Double(sets.count)
        return frequency.mapValues { 1 + log(count / Double($0)) }
    }

    /// Weighted share of the query's terms that occur in `unit`.
    private static func weightedOverlap(_ query: TermSet, _ unit: TermSet, _ weights: [String: Double]) -> Double {
        var total = 0.0
        var matched = 0.0
        for term in query.terms {
            let weight = weights[term] ?? 1
            total += weight
            if unit.terms.contains(term) { matched += weight }
        }
        return total == 0 ? 0 : matched / total
    }
}
