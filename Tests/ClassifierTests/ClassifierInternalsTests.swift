import Testing

@testable import Classifier

@Suite("Intent classifier: building blocks")
struct ClassifierInternalsTests {
    @Test(
        "text normalisation lower-cases, drops apostrophes and splits on everything else",
        arguments: [
            ("Don't CANCEL my order!", ["dont", "cancel", "my", "order"]),
            ("Où est ma commande ?", ["où", "est", "ma", "commande"]),
            ("order #12345, please", ["order", "12345", "please"]),
            ("  ", []),
        ])
    func normalisation(text: String, expected: [String]) {
        let words = TextNormalizer.words(text).map { String(String.UnicodeScalarView($0.compactMap(Unicode.Scalar.init))) }
        #expect(words == expected)
    }

    @Test("the seeded generator is reproducible and uniform enough")
    func generator() {
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        var c = SeededGenerator(seed: 43)
        let first = (0..<8).map { _ in a.next() }
        #expect(first == (0..<8).map { _ in b.next() })
        #expect(first != (0..<8).map { _ in c.next() })
        var counts = [Int](repeating: 0, count: 10)
        for _ in 0..<10_000 { counts[a.nextIndex(below: 10)] += 1 }
        #expect(counts.allSatisfy { (800...1200).contains($0) })
    }

    @Test("calibration without out-of-scope examples rejects at most the allowed share of correct answers")
    func rejectionCap() {
        let samples = (1...200).map { ThresholdCalibrator.Sample(score: Float($0) / 200, isOutOfScope: false, correct: true) }
        let threshold = ThresholdCalibrator(outOfScopeWeight: 1, inScopeRejection: 0.05).threshold(samples)
        let rejected = samples.filter { Double($0.score) < threshold }.count
        #expect(rejected == 10)
    }

    @Test("with too few held-out examples to reject one, the threshold stays well below them")
    func smallSample() {
        let samples = (0..<10).map { ThresholdCalibrator.Sample(score: 0.8 + Float($0) / 100, isOutOfScope: false, correct: true) }
        let threshold = ThresholdCalibrator(outOfScopeWeight: 1, inScopeRejection: 0.005).threshold(samples)
        #expect(abs(threshold - 0.8 * 0.05) < 1e-6)
    }

    @Test("calibration with out-of-scope examples separates them when that costs no correct answers")
    func balanced() {
        let inScope = (0..<100).map { ThresholdCalibrator.Sample(score: 0.6 + Float($0) / 250, isOutOfScope: false, correct: true) }
        let outOfScope = (0..<20).map {
            ThresholdCalibrator.Sample(score: 0.1 + Float($0) / 50, isOutOfScope: true, correct: false)
        }
        let threshold = ThresholdCalibrator(outOfScopeWeight: 1, inScopeRejection: 0.05).threshold(inScope + outOfScope)
        // Out-of-scope scores end at 0.48, in-scope ones start at 0.6: the middle of the gap.
        #expect(abs(threshold - 0.54) < 1e-6)
    }

    @Test("AUROC is the probability that an in-scope example outranks an out-of-scope one")
    func auroc() {
        #expect(Evaluation.auroc(positives: [0.9, 0.8], negatives: [0.1, 0.2]) == 1)
        #expect(Evaluation.auroc(positives: [0.1, 0.2], negatives: [0.9, 0.8]) == 0)
        #expect(Evaluation.auroc(positives: [0.5, 0.9], negatives: [0.5, 0.1]) == 0.875)
    }

    @Test("the batched nearest-example search agrees with one query at a time")
    func batchedNearest() {
        var generator = SeededGenerator(seed: 5)
        let dimension = 10
        func unit() -> [Float] {
            let raw = (0..<dimension).map { _ in Float.random(in: -1...1, using: &generator) }
            let norm = raw.reduce(0) { $0 + $1 * $1 }.squareRoot()
            return raw.map { $0 / norm }
        }
        let exemplars = Exemplars(dimension: dimension, vectors: (0..<300).flatMap { _ in unit() })
        // More queries than one chunk of 256, and one of the wrong length.
        var queries = (0..<600).map { _ in unit() }
        queries[17] = [1, 2, 3]
        let batched = exemplars.nearest(batch: queries)
        #expect(batched.count == queries.count)
        #expect(batched[17] == nil)
        for (index, query) in queries.enumerated() where index != 17 {
            let single = exemplars.nearest(query)!
            #expect(abs(batched[index]! - single) < 1e-5, "query \(index)")
        }
    }
}
