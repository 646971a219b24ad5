import Content
import TestSupport
import Testing

@testable import Classifier

@Suite("Clarification margin")
struct ClarificationTests {
    typealias Sample = ClarificationCalibrator.Sample

    @Test("the rule asks only when the top two are close, plausible and together confident")
    func rule() {
        let rule = ClarificationRule(margin: 0.1)
        #expect(rule.applies(first: 0.45, second: 0.40, threshold: 0.5))
        #expect(!rule.applies(first: 0.60, second: 0.30, threshold: 0.5), "a clear winner")
        #expect(!rule.applies(first: 0.20, second: 0.18, threshold: 0.5), "together not confident")
        #expect(!rule.applies(first: 0.20, second: 0.12, threshold: 0.3), "second not plausible")
    }

    @Test("the margin grows while asking rescues more answers than it annoys")
    func calibratesOnHeldOut() {
        // Close calls (gap 0.05) are right only half the time, the other half the second guess is;
        // wider gaps (0.3) are always right.
        var samples: [Sample] = []
        for i in 0..<10 {
            samples.append(Sample(first: 0.45, second: 0.40, firstCorrect: i % 2 == 0, secondCorrect: i % 2 == 1))
            samples.append(Sample(first: 0.60, second: 0.30, firstCorrect: true, secondCorrect: false))
        }
        var calibrator = ClarificationCalibrator()
        calibrator.priorWeight = 0
        let margin = calibrator.margin(samples, threshold: 0.5)
        #expect(margin > 0.05)
        #expect(margin <= 0.30, "asking about the always-right 0.3 gaps would only annoy")
        // With a prior, scarce evidence moves the margin only part of the way from the default.
        calibrator.priorWeight = 40
        let shrunk = calibrator.margin(samples, threshold: 0.5)
        #expect(shrunk > calibrator.defaultMargin - 1e-9 || margin < calibrator.defaultMargin)
        #expect(abs(shrunk - calibrator.defaultMargin) < abs(margin - calibrator.defaultMargin))
    }

    @Test("when the first guess is right in close calls too, it never asks")
    func neverAsksWhenFirstGuessIsRight() {
        let samples = (0..<12).map { _ in Sample(first: 0.45, second: 0.40, firstCorrect: true, secondCorrect: false) }
        var calibrator = ClarificationCalibrator()
        calibrator.priorWeight = 0
        #expect(calibrator.margin(samples, threshold: 0.5) == 0)
    }

    @Test("too little held-out evidence keeps the documented default")
    func defaultWithoutEvidence() {
        let samples = [Sample(first: 0.45, second: 0.40, firstCorrect: false, secondCorrect: true)]
        let calibrator = ClarificationCalibrator()
        #expect(calibrator.margin(samples, threshold: 0.5) == calibrator.defaultMargin)
    }
}

@Suite("Clarification options from a trained model")
struct ClarificationOptionsTests {
    @Test("identical intents are offered together; a clear message is not clarified; the margin survives saving")
    func offered() throws {
        let folder = try TemporaryDirectory()
        let examples =
            "[can you wrap it as a gift, gift wrapping please, send it wrapped as a present, is gift wrap available, wrap my order as a gift]"
        try folder.write(
            "intents/gifts.yml",
            """
            - intent: gift_wrap
              answer: Gift wrap is $5.
              examples: \(examples)
            - intent: gift_message
              answer: Add a gift message at checkout.
              examples: \(examples)
            """)
        try folder.write("intents/support.yml", ClassifierFixture.support)
        let intents = try IntentLoader(directory: folder.file("intents")).load()
        let classifier = try IntentClassifier.train(intents, embedder: nil)
        let options = try #require(classifier.clarificationOptions(for: classifier.predict("gift wrapping please")))
        #expect(Set(options.map(\.name)) == ["gift_wrap", "gift_message"])
        #expect(classifier.clarificationOptions(for: classifier.predict("what are your opening hours")) == nil)
        let reloaded = try IntentClassifier.load(bytes: Array(classifier.serialized()), source: "memory", embedder: nil)
        #expect(reloaded.clarification == classifier.clarification)
    }
}
