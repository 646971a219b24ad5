import Content
import Foundation

extension FAQIndex {
    /// The fusion's best `depth` candidates for `query` with their reranking features, in
    /// first-stage order (for fitting `RerankModel` and for debugging); empty without dense vectors.
    public func rerankCandidates(_ query: String, queryEmbedding: [Float], depth: Int) -> [RerankCandidate] {
        guard let dense, queryEmbedding.count == dense.dimension, let scores = dense.scores(for: queryEmbedding) else {
            return []
        }
        let queryTerms = lexical.queryTerms(analyzer.terms(query).map { (term: $0, weight: 1.0) })
        var lexicalScores = [Double](repeating: 0, count: count)
        var touched: [Int32] = []
        lexical.accumulate(queryTerms, into: &lexicalScores, touched: &touched)
        let candidateCount = max(configuration.candidateCount, depth)
        let lexicalRanking = TopK.select(touched.lazy.map { Int($0) }, count: candidateCount) { lexicalScores[$0] }
        let denseRanking = TopK.select(0..<count, count: candidateCount) { Double(scores[$0]) }
        let fused = fuse(lexical: lexicalRanking, lexicalScores: lexicalScores, dense: denseRanking, denseScores: scores)
        let ranking = TopK.select(fused.keys, count: depth) { fused[$0] ?? 0 }
        let features = rerankFeatures(ranking, fused: fused, queryTerms: queryTerms, queryVector: queryEmbedding)
        return zip(ranking, features).enumerated().map { rank, pair in
            RerankCandidate(entry: entries[pair.0], firstStageRank: rank, features: pair.1)
        }
    }

    /// Reorders `ranking` (first-stage order) by the reranker and keeps `limit`; the returned
    /// scores (the reranker's softmax over the candidates) replace the fused ones. Unchanged
    /// without a model or entry vectors.
    func rerank(
        _ ranking: [Int], fused: [Int: Double], queryTerms: [(id: Int32, weight: Double)], queryVector: [Float]?,
        limit: Int
    ) -> (ranking: [Int], scores: [Int: Double]) {
        guard let model = configuration.reranker, let queryVector, entryVectors != nil, ranking.count > 1 else {
            return (Array(ranking.prefix(limit)), fused)
        }
        let features = rerankFeatures(ranking, fused: fused, queryTerms: queryTerms, queryVector: queryVector)
        // Softmax over the candidates: each score is the model's probability that the entry is
        // the one, so sources keep a score in [0, 1].
        let logits = features.map(model.score)
        let largest = logits.max() ?? 0
        let exponentials = logits.map { exp($0 - largest) }
        let total = exponentials.reduce(0, +)
        var scores: [Int: Double] = [:]
        for (index, value) in zip(ranking, exponentials) { scores[index] = value / total }
        let order = ranking.enumerated().sorted { left, right in
            let a = scores[left.element] ?? 0
            let b = scores[right.element] ?? 0
            return a != b ? a > b : left.offset < right.offset
        }
        return (order.prefix(limit).map(\.element), scores)
    }

    /// The features of each candidate in `ranking`.
    func rerankFeatures(
        _ ranking: [Int], fused: [Int: Double], queryTerms: [(id: Int32, weight: Double)], queryVector: [Float]
    ) -> [RerankFeatures] {
        let bestFused = ranking.compactMap { fused[$0] }.max() ?? 0
        let fieldScores = ranking.map { lexical.fieldScores(queryTerms, document: $0) }
        let bestLexical = fieldScores.map { $0.reduce(0, +) }.max() ?? 0
        var queryIDF = 0.0
        var queryTermSet = Set<Int32>()
        for (id, weight) in queryTerms {
            queryIDF += weight * lexical.maximumIDF(of: id)
            queryTermSet.insert(id)
        }
        return zip(ranking, fieldScores).map { index, fields in
            let similarities = entryVectors?.similarities(queryVector, entry: index)
            var matched = 0.0
            for (id, weight) in queryTerms where lexical.contains(id, in: index) {
                matched += weight * lexical.maximumIDF(of: id)
            }
            var questionTotal = 0.0
            var questionMatched = 0.0
            for id in questionTerms[index].terms {
                let idf = lexical.maximumIDF(of: id)
                questionTotal += idf
                if queryTermSet.contains(id) { questionMatched += idf }
            }
            func share(_ value: Double) -> Double { bestLexical > 0 ? value / bestLexical : 0 }
            return RerankFeatures(
                firstStage: bestFused > 0 ? (fused[index] ?? 0) / bestFused : 0,
                centroidCosine: similarities?.centroid ?? 0,
                nearestPhrasingCosine: similarities?.nearestPhrasing ?? 0,
                nearestTwoPhrasingsCosine: similarities?.nearestTwoPhrasings ?? 0,
                answerCosine: similarities?.answer ?? 0,
                answerSentenceCosine: similarities?.nearestAnswerSentence ?? 0,
                questionBM25: share(fields[0]), alternatesBM25: share(fields[1]), answerBM25: share(fields[2]),
                queryCoverage: queryIDF > 0 ? matched / queryIDF : 0,
                questionCoverage: questionTotal > 0 ? questionMatched / questionTotal : 0)
        }
    }
}
