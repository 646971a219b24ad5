import Content
import Foundation

extension FAQIndex {
    /// Searches with caller-supplied embeddings of the query and of the previous turn; the other
    /// `search` methods end here. Steps: BM25 candidates, dense candidates, fusion of their union,
    /// the tag nudge, the reranker over the fusion's best, exact matches first, then the confidence
    /// of the top hit.
    public func search(
        _ query: String, queryEmbedding: [Float]?, previousTurn: String?, previousTurnEmbedding: [Float]?,
        tagHint: String?, limit: Int
    ) -> SearchResult {
        guard !entries.isEmpty, limit > 0 else { return .empty }
        let candidateCount = max(configuration.candidateCount, limit)

        // Lexical: query terms at full weight, the previous turn's at a reduced one.
        var weighted = analyzer.terms(query).map { (term: $0, weight: 1.0) }
        if let previousTurn, configuration.previousTurnWeight > 0 {
            weighted += analyzer.terms(previousTurn).map { (term: $0, weight: configuration.previousTurnWeight) }
        }
        let queryTerms = lexical.queryTerms(weighted)
        var lexicalScores = [Double](repeating: 0, count: count)
        var touched: [Int32] = []
        lexical.accumulate(queryTerms, into: &lexicalScores, touched: &touched)
        let lexicalRanking = TopK.select(touched.lazy.map { Int($0) }, count: candidateCount) { lexicalScores[$0] }

        // Dense: the query vector, pulled towards the previous turn's when there is one.
        var denseScores: [Float]?
        var queryVector: [Float]?
        if let dense, var vector = queryEmbedding, vector.count == dense.dimension {
            if let previous = previousTurnEmbedding, previous.count == vector.count, configuration.previousTurnWeight > 0 {
                vector = Self.normalized(zip(vector, previous).map { $0 + Float(configuration.previousTurnWeight) * $1 })
            }
            denseScores = dense.scores(for: vector)
            queryVector = vector
        }
        let denseRanking =
            denseScores.map { scores in
                TopK.select(0..<count, count: candidateCount) { Double(scores[$0]) }
            } ?? []

        var fused = fuse(lexical: lexicalRanking, lexicalScores: lexicalScores, dense: denseRanking, denseScores: denseScores)
        if let tagHint = tagHint?.lowercased(), !tagHint.isEmpty, configuration.tagBoost != 0 {
            for (index, score) in fused where entries[index].tags.contains(where: { $0.lowercased() == tagHint }) {
                fused[index] = score * (1 + configuration.tagBoost)
            }
        }
        let firstStage = TopK.select(fused.keys, count: max(limit, configuration.rerankDepth)) { fused[$0] ?? 0 }
        var (ranking, scores) = rerank(firstStage, fused: fused, queryTerms: queryTerms, queryVector: queryVector, limit: limit)
        let exact = exactMatches[EnglishAnalyzer.exactKey(query)]
        if let exact {
            ranking.removeAll { $0 == exact }
            ranking.insert(exact, at: 0)
            if ranking.count > limit { ranking.removeLast() }
            scores[exact] = max(scores[exact] ?? 0, (scores.values.max() ?? 0) + 1e-9)
        }
        guard let top = ranking.first else { return .empty }

        let hits = ranking.map { index in
            FAQHit(
                entry: entries[index], score: scores[index] ?? 0, lexicalScore: lexicalScores[index],
                denseScore: denseScores.map { Double($0[index]) })
        }
        var evidence = self.evidence(
            top: top, queryTerms: queryTerms, unknownTerms: weighted.filter { lexical.termIDs[$0.term] == nil },
            lexicalRanking: lexicalRanking, lexicalScores: lexicalScores, denseRanking: denseRanking,
            denseScores: denseScores)
        if let queryVector, let similarities = entryVectors?.similarities(queryVector, entry: top) {
            evidence.nearestPhrasingCosine = similarities.nearestPhrasing
            evidence.answerSentenceCosine = similarities.nearestAnswerSentence
            if configuration.reranker != nil, firstStage.count > 1 { evidence.rerankProbability = scores[top] }
        }
        let confidence = exact != nil ? 1 : configuration.confidenceModel.confidence(evidence)
        return SearchResult(
            hits: hits, confidence: confidence, isConfident: confidence >= configuration.confidenceThreshold,
            isExactMatch: exact != nil, evidence: evidence)
    }

    /// Fused score of every candidate (the union of both rankings).
    func fuse(lexical: [Int], lexicalScores: [Double], dense: [Int], denseScores: [Float]?) -> [Int: Double] {
        var fused: [Int: Double] = [:]
        guard let denseScores, !dense.isEmpty else {
            let best = lexical.first.map { lexicalScores[$0] } ?? 0
            for index in lexical where best > 0 { fused[index] = lexicalScores[index] / best }
            return fused
        }
        let weight = min(max(configuration.denseWeight, 0), 1)
        switch configuration.fusion {
        case .reciprocalRank(let k):
            for (rank, index) in dense.enumerated() { fused[index, default: 0] += weight / (k + Double(rank + 1)) }
            for (rank, index) in lexical.enumerated() { fused[index, default: 0] += (1 - weight) / (k + Double(rank + 1)) }
        case .weightedSum:
            let candidates = Set(lexical).union(dense)
            let bestLexical = lexical.first.map { lexicalScores[$0] } ?? 0
            let cosines = candidates.map { Double(denseScores[$0]) }
            let low = cosines.min() ?? 0
            let high = cosines.max() ?? 0
            for index in candidates {
                let lexicalPart = bestLexical > 0 ? lexicalScores[index] / bestLexical : 0
                let densePart = high > low ? (Double(denseScores[index]) - low) / (high - low) : 1
                fused[index] = weight * densePart + (1 - weight) * lexicalPart
            }
        }
        return fused
    }

    /// The features the confidence model reads, about the top hit `top`.
    func evidence(
        top: Int, queryTerms: [(id: Int32, weight: Double)], unknownTerms: [(term: String, weight: Double)],
        lexicalRanking: [Int], lexicalScores: [Double], denseRanking: [Int], denseScores: [Float]?
    ) -> SearchEvidence {
        let unseenIDF = LexicalIndex.idf(documentCount: Double(count), documentFrequency: 0)
        var total = unknownTerms.reduce(0) { $0 + $1.weight * unseenIDF }
        var matched = 0.0
        for (id, weight) in queryTerms {
            let idf = weight * lexical.maximumIDF(of: id)
            total += idf
            if lexical.contains(id, in: top) { matched += idf }
        }
        let topLexical = lexicalScores[top]
        let otherLexical = lexicalRanking.first { $0 != top }.map { lexicalScores[$0] } ?? 0
        let lexicalMargin = max(topLexical, otherLexical) > 0 ? (topLexical - otherLexical) / max(topLexical, otherLexical) : 0
        var topCosine: Double?
        var cosineMargin = 0.0
        if let denseScores {
            let cosine = Double(denseScores[top])
            topCosine = cosine
            cosineMargin = cosine - (denseRanking.first { $0 != top }.map { Double(denseScores[$0]) } ?? -1)
        }
        return SearchEvidence(
            topCosine: topCosine, cosineMargin: cosineMargin, coverage: total > 0 ? matched / total : 0,
            lexicalMargin: lexicalMargin, topLexical: topLexical)
    }

    static func normalized(_ vector: [Float]) -> [Float] {
        let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : vector
    }
}
