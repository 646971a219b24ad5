import Content
import Testing

@testable import Retrieval

@Suite("BM25 scoring (Lucene's formula)")
struct BM25Tests {
    // Toy corpus, already analyzed. Question field: d0 = [a b], d1 = [a a c], d2 = [c]
    // (N = 3, avgdl = 2). Alternates: only d1 = [b] (N = 1, avgdl = 1). Answers empty.
    let index = LexicalIndex(
        terms: [[["a", "b"], ["a", "a", "c"], ["c"]], [[], ["b"], []], [[], [], []]],
        boosts: .init(question: 2, alternates: 1.5, answer: 1), k1: 1.2, b: 0.75)

    func scores(_ terms: [String]) -> [Double] {
        var scores = [Double](repeating: 0, count: 3)
        var touched: [Int32] = []
        index.accumulate(index.queryTerms(terms.map { ($0, 1.0) }), into: &scores, touched: &touched)
        return scores
    }

    @Test("idf is ln(1 + (N - n + 0.5) / (n + 0.5))")
    func idf() {
        // ln(1 + 1.5 / 2.5) = ln 1.6 and ln(1 + 2.5 / 1.5) = ln(8/3), by hand.
        #expect(abs(LexicalIndex.idf(documentCount: 3, documentFrequency: 2) - 0.470003629245736) < 1e-12)
        #expect(abs(LexicalIndex.idf(documentCount: 3, documentFrequency: 1) - 0.980829253011726) < 1e-12)
    }

    @Test("scores match values computed by hand")
    func handComputed() {
        // "a": idf ln 1.6; d0 tf 1, dl 2: norm 1.2 (1 − .75 + .75·2/2) = 1.2 → 0.4700 · 1/2.2, boost 2.
        // d1 tf 2, dl 3: norm 1.2 (.25 + .75·1.5) = 1.65 → 0.4700 · 2/3.65, boost 2.
        let a = scores(["a"])
        #expect(abs(a[0] - 2 * 0.213638013293516) < 1e-9)
        #expect(abs(a[1] - 2 * 0.257536235203143) < 1e-9)
        #expect(a[2] == 0)
        // "c": d1 → 0.4700 / 2.65; d2 (dl 1, norm 0.75) → 0.4700 / 1.75; boost 2.
        let c = scores(["c"])
        #expect(abs(c[1] - 2 * 0.177359860092730) < 1e-9)
        #expect(abs(c[2] - 2 * 0.268573502426135) < 1e-9)
        // "b": question field d0 (n 1 of 3) → ln(8/3) / 2.2 · 2; alternates field d1, where only
        // d1 has alternates (N = 1): ln(1 + 0.5/1.5) / (1 + 1.2) · 1.5.
        let b = scores(["b"])
        #expect(abs(b[0] - 0.891662957283388) < 1e-9)
        #expect(abs(b[1] - 0.196146867580760) < 1e-9)
        // A query's score is the sum over its terms.
        let ab = scores(["a", "b"])
        #expect(abs(ab[0] - (a[0] + b[0])) < 1e-12)
    }

    @Test("unknown and repeated query terms")
    func queryTerms() {
        // Unknown terms are dropped; a repeated term counts once, at its highest weight.
        let terms = index.queryTerms([("a", 0.5), ("zzz", 1), ("a", 1)])
        #expect(terms.count == 1)
        #expect(terms.first?.weight == 1)
        #expect(scores(["a", "a"]) == scores(["a"]))
    }

    @Test("the analyzer feeds BM25 through FAQIndex")
    func throughFAQIndex() {
        // Given entries whose words survive analysis unchanged
        let entries = [
            FAQEntry(id: "t.md#0", question: "kayak paddle", answer: "x", file: "t.md", line: 1),
            FAQEntry(id: "t.md#1", question: "kayak kayak tent", answer: "x", file: "t.md", line: 2),
            FAQEntry(id: "t.md#2", question: "tent", answer: "x", file: "t.md", line: 3),
        ]
        var configuration = RetrievalConfiguration()
        configuration.fieldBoosts = .init(question: 1, alternates: 1, answer: 0)
        let faq = FAQIndex(entries: entries, embedder: nil, embeddingCache: nil, configuration: configuration)
        // When searching for one word, Then lexical scores are the hand-computed BM25 values
        let hits = faq.search("kayaks", limit: 3).hits
        #expect(hits.map(\.entry.id) == ["t.md#1", "t.md#0"])
        #expect(abs(hits[0].lexicalScore - 0.257536235203143) < 1e-9)
        #expect(abs(hits[1].lexicalScore - 0.213638013293516) < 1e-9)
    }
}
