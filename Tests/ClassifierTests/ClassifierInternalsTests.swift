@testable import Classifier
import Testing

@Suite("Intent classifier: building blocks")
struct ClassifierInternalsTests {
    @Test(
        "SHA-256 matches the FIPS 180-4 test vectors",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
        ])
    func sha256(input: String, expected: String) {
        #expect(SHA256Digest.hex(SHA256Digest.hash(Array(input.utf8))) == expected)
    }

    @Test("SHA-256 of a million 'a' (multi-block input)")
    func sha256Long() {
        let digest = SHA256Digest.hash([UInt8](repeating: 0x61, count: 1_000_000))
        #expect(SHA256Digest.hex(digest) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

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
        let outOfScope = (0..<20).map { ThresholdCalibrator.Sample(score: 0.1 + Float($0) / 50, isOutOfScope: true, correct: false) }
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
}
