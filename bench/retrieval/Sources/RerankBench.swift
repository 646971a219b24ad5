import Content
import Encoder
import Foundation
import Retrieval

/// Fits `RerankModel` and reports it: training lists come from the FAQ's own phrasings (each held
/// out of its entry in turn, so the entry must be found from its other phrasings and answer), the
/// tuning half of the queries and, with `--answers DIR`, the first turns of the answer-evaluation
/// dev split that name entries. The held-out half of the queries is only scored.
struct RerankBench {
    let arguments: BenchArguments
    let context: Context
    let depth = 20

    func run() throws -> RerankModel {
        let phrasingLists = try heldOutPhrasingLists()
        let tuningLists = lists(for: context.cases.indices.filter { !context.cases[$0].heldOut })
        let answerLists = try answerDevLists()
        let training = phrasingLists + tuningLists.map { weighted($0, 2) } + answerLists.map { weighted($0, 2) }
        let weights = ListwiseRanker.fit(training)
        let model = RerankModel(weights: weights)
        let heldOutLists = lists(for: context.cases.indices.filter { context.cases[$0].heldOut })
        print("\n# Reranker\n")
        print(
            "Training lists (relevant entry among the fusion's best \(depth)): \(phrasingLists.count) held-out phrasings, "
                + "\(tuningLists.count) tuning-half queries, \(answerLists.count) answer-evaluation dev messages.\n")
        print("| list set | first stage P@1 | shipped reranker P@1 | refitted reranker P@1 | relevant within depth |")
        print("| --- | --- | --- | --- | --- |")
        let shipped = RerankModel.standard.weights
        let firstStage = [1.0] + [Double](repeating: 0, count: weights.count - 1)
        for (name, set) in [
            ("held-out phrasings", phrasingLists), ("tuning-half queries", tuningLists),
            ("answer dev messages", answerLists), ("held-out-half queries (never fitted on)", heldOutLists),
        ] {
            let reachable = set.filter { $0.relevant.contains(true) }
            func p(_ w: [Double]) -> String { String(format: "%.3f", ListwiseRanker.precisionAt1(set, weights: w)) }
            print("| \(name) | \(p(firstStage)) | \(p(shipped)) | \(p(weights)) | \(reachable.count)/\(set.count) |")
        }
        let formatted = weights.map { String(format: "%.3f", $0) }.joined(separator: ", ")
        print("\nRefitted weights (paste into RerankModel.standard), features \(RerankFeatures.names.joined(separator: ", ")):\n")
        print("    RerankModel(weights: [\(formatted)])")
        return model
    }

    private func weighted(_ list: ListwiseRanker.List, _ weight: Double) -> ListwiseRanker.List {
        var list = list
        list.weight = weight
        return list
    }

    private func list(_ candidates: [RerankCandidate], relevant: Set<String>) -> ListwiseRanker.List {
        ListwiseRanker.List(
            features: candidates.map(\.features.vector), relevant: candidates.map { relevant.contains($0.entry.id) })
    }

    /// Lists of the benchmark queries at `indices`, against the shipped index.
    private func lists(for indices: [Int]) -> [ListwiseRanker.List] {
        let index = context.index(RetrievalConfiguration(), dense: true)
        return indices.map { number in
            let testCase = context.cases[number]
            let candidates = index.rerankCandidates(testCase.query, queryEmbedding: context.queryVectors[number], depth: depth)
            return list(candidates, relevant: testCase.relevant)
        }
    }

    /// Round r holds out phrasing r of every entry that has more than one phrasing left.
    private func heldOutPhrasingLists() throws -> [ListwiseRanker.List] {
        guard let embedder = context.embedder else { return [] }
        var lists: [ListwiseRanker.List] = []
        let rounds = context.entries.map { 1 + $0.alternates.count }.max() ?? 0
        for round in 0..<rounds {
            var queries: [(text: String, id: String)] = []
            let entries = context.entries.map { entry -> FAQEntry in
                var phrasings = [entry.question] + entry.alternates
                guard phrasings.count > 1, round < phrasings.count else { return entry }
                queries.append((phrasings.remove(at: round), entry.id))
                var reduced = entry
                reduced.question = phrasings[0]
                reduced.alternates = Array(phrasings.dropFirst())
                return reduced
            }
            guard !queries.isEmpty else { continue }
            let index = FAQIndex(
                entries: entries, embedder: embedder, embeddingCache: context.cache, configuration: RetrievalConfiguration())
            let vectors = context.cache.embeddings(for: queries.map(\.text), using: embedder)
            for (query, vector) in zip(queries, vectors) {
                let candidates = index.rerankCandidates(query.text, queryEmbedding: vector, depth: depth)
                lists.append(list(candidates, relevant: [query.id]))
            }
        }
        return lists
    }

    /// First turns of the answer-evaluation cases in `--answers DIR` that name entries.
    private func answerDevLists() throws -> [ListwiseRanker.List] {
        guard let embedder = context.embedder, let folder = arguments.url("answers") else { return [] }
        let cases = try AnswerEvaluationParser.load(directory: folder)
        let turns = cases.compactMap { $0.turns.first }.filter { !$0.entries.isEmpty }
        let index = context.index(RetrievalConfiguration(), dense: true)
        let vectors = embedder.embed(turns.map(\.text))
        return zip(turns, vectors).map { turn, vector in
            let candidates = index.rerankCandidates(turn.text, queryEmbedding: vector, depth: depth)
            if arguments.flag("misses"), let top = candidates.first, !turn.entries.contains(top.entry.id) {
                let rank = candidates.firstIndex { turn.entries.contains($0.entry.id) }.map(String.init) ?? "-"
                print(
                    "MISS [\(rank)] \(turn.text)\n    got:  \(top.entry.question)\n    want: \(turn.entries.joined(separator: " "))"
                )
            }
            return list(candidates, relevant: Set(turn.entries))
        }
    }
}
