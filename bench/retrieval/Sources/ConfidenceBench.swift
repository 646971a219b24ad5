import Content
import Encoder
import Foundation
import Retrieval

/// Fits and checks the confidence model: positives are tuning-half queries whose top hit is
/// relevant; negatives are tuning-half queries answered wrongly plus out-of-scope and small-talk
/// examples from `intents/` (they have no FAQ answer). Reports the fitted and the shipped model on
/// the held-out half at the default threshold.
struct ConfidenceBench {
    let arguments: BenchArguments
    let context: Context

    struct Sample {
        /// Nil when the search found nothing (confidence 0).
        var evidence: SearchEvidence?
        var correct: Bool
        var answerable: Bool
        var heldOut: Bool
    }

    func run() throws {
        let negatives = try loadNegatives()
        print("\n# Confidence\n")
        print(
            "\(negatives.count) unanswerable queries (\(negatives.filter(\.heldOut).count) held out) from intents "
                + "\(negativeIntents.joined(separator: ", ")); threshold \(RetrievalConfiguration().confidenceThreshold)\n")
        let modes = context.embedder == nil ? [false] : [true, false]
        var fitted: [Bool: (Double, [Double])] = [:]
        print("| searches | model | held-out answered precision | answerable answered correctly | unanswerable refused | Brier |")
        print("| --- | --- | --- | --- | --- | --- |")
        for dense in modes {
            let samples = try self.samples(dense: dense, negatives: negatives)
            let tuning = samples.filter { !$0.heldOut }.compactMap { sample in sample.evidence.map { ($0.features, sample.correct) }
            }
            let fit = LogisticRegression.fit(tuning)
            fitted[dense] = fit
            let shipped = RetrievalConfiguration().confidenceModel
            let mine = ConfidenceModel(
                hybrid: dense ? .init(intercept: fit.intercept, weights: fit.weights) : shipped.hybrid,
                lexical: dense ? shipped.lexical : .init(intercept: fit.intercept, weights: fit.weights))
            for (name, model) in [("shipped", shipped), ("refitted", mine)] {
                print("| \(dense ? "hybrid" : "BM25 only") | \(name) | \(report(samples.filter(\.heldOut), model)) |")
            }
        }
        print("\nRefitted coefficients (paste into ConfidenceModel.standard):\n")
        for (dense, fit) in fitted.sorted(by: { $0.key && !$1.key }) {
            let weights = fit.1.map { String(format: "%.3f", $0) }.joined(separator: ", ")
            print(
                "    \(dense ? "hybrid" : "lexical"): Coefficients(intercept: \(String(format: "%.3f", fit.0)), weights: [\(weights)])"
            )
        }
    }

    var negativeIntents: [String] {
        (arguments.string("negative-intents") ?? "out_of_scope,greeting,goodbye,thanks,affirm,deny")
            .split(separator: ",").map(String.init)
    }

    func loadNegatives() throws -> [(query: String, heldOut: Bool)] {
        guard let folder = arguments.url("intents") else { return [] }
        let set = try IntentLoader(directory: folder).load()
        let wanted = Set(negativeIntents)
        var queries = set.intents.filter { wanted.contains($0.name) }.flatMap(\.examples)
        if wanted.contains(Intent.outOfScope) { queries += set.outOfScopeExamples }
        return Array(Set(queries)).sorted().map { ($0, Statistics.isHeldOut($0)) }
    }

    func samples(dense: Bool, negatives: [(query: String, heldOut: Bool)]) throws -> [Sample] {
        let index = context.index(RetrievalConfiguration(), dense: dense)
        let negativeVectors = dense ? (context.embedder?.embed(negatives.map(\.query)) ?? []) : []
        var samples: [Sample] = []
        for (number, testCase) in context.cases.enumerated() {
            let result = index.search(
                testCase.query, queryEmbedding: dense ? context.queryVectors[number] : nil, previousTurn: nil,
                previousTurnEmbedding: nil, tagHint: nil, limit: 5)
            guard !result.isExactMatch else { continue }
            let correct = result.hits.first.map { testCase.relevant.contains($0.entry.id) } ?? false
            samples.append(.init(evidence: result.evidence, correct: correct, answerable: true, heldOut: testCase.heldOut))
        }
        for (number, negative) in negatives.enumerated() {
            let result = index.search(
                negative.query, queryEmbedding: dense ? negativeVectors[number] : nil, previousTurn: nil,
                previousTurnEmbedding: nil, tagHint: nil, limit: 5)
            guard !result.isExactMatch else { continue }
            samples.append(.init(evidence: result.evidence, correct: false, answerable: false, heldOut: negative.heldOut))
        }
        if dense { samples += try answerDevSamples(index) }
        return samples
    }

    /// First turns of the answer-evaluation dev split (`--answers DIR`), all on the tuning side:
    /// those naming entries are positives when the top hit is one of them; those whose only right
    /// routes are a fallback or a handoff (off-topic, unanswerable, injection) are negatives.
    func answerDevSamples(_ index: FAQIndex) throws -> [Sample] {
        guard let embedder = context.embedder, let folder = arguments.url("answers") else { return [] }
        let turns = try AnswerEvaluationParser.load(directory: folder).compactMap(\.turns.first).filter { turn in
            !turn.entries.isEmpty || turn.routes.allSatisfy { $0 == "fallback" || $0 == "handoff" }
        }
        let vectors = embedder.embed(turns.map(\.text))
        return zip(turns, vectors).compactMap { turn, vector in
            let result = index.search(
                turn.text, queryEmbedding: vector, previousTurn: nil, previousTurnEmbedding: nil, tagHint: nil, limit: 5)
            guard !result.isExactMatch else { return nil }
            let correct = result.hits.first.map { turn.entries.contains($0.entry.id) } ?? false
            return Sample(evidence: result.evidence, correct: correct, answerable: !turn.entries.isEmpty, heldOut: false)
        }
    }

    func report(_ samples: [Sample], _ model: ConfidenceModel) -> String {
        let threshold = RetrievalConfiguration().confidenceThreshold
        func confidence(_ sample: Sample) -> Double { sample.evidence.map(model.confidence) ?? 0 }
        var answered = 0
        var answeredCorrect = 0
        var brier = 0.0
        for sample in samples {
            let p = confidence(sample)
            brier += (p - (sample.correct ? 1 : 0)) * (p - (sample.correct ? 1 : 0))
            if p >= threshold {
                answered += 1
                if sample.correct { answeredCorrect += 1 }
            }
        }
        let answerable = samples.filter(\.answerable)
        let answerableCorrectAnswered = answerable.filter { $0.correct && confidence($0) >= threshold }.count
        let unanswerable = samples.filter { !$0.answerable }
        let refused = unanswerable.filter { confidence($0) < threshold }.count
        return String(
            format: "%.3f (%d/%d) | %.3f (%d/%d) | %.3f (%d/%d) | %.3f",
            Double(answeredCorrect) / Double(max(answered, 1)), answeredCorrect, answered,
            Double(answerableCorrectAnswered) / Double(max(answerable.count, 1)), answerableCorrectAnswered, answerable.count,
            Double(refused) / Double(max(unanswerable.count, 1)), refused, unanswerable.count,
            brier / Double(max(samples.count, 1)))
    }
}
