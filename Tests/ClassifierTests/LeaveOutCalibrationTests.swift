import Classifier
import Content
import Foundation
import TestSupport
import Testing

/// The out-of-scope threshold of a team with no `out_of_scope` examples: calibrated on intents
/// left out of training (leave-some-intents-out), it must actually reject something.
@Suite("Out-of-scope threshold without out-of-scope examples")
struct LeaveOutCalibrationTests {
    static func sampleIntentsWithoutOutOfScope() throws -> IntentSet {
        var intents = try IntentLoader(directory: repositoryRoot.appendingPathComponent("intents")).load()
        intents.outOfScopeExamples = []
        return intents
    }

    @Test("left-out intents raise the threshold above the in-scope-only cap, and the artifact keeps the setting")
    func leaveOutRaisesThreshold() throws {
        let intents = try Self.sampleIntentsWithoutOutOfScope()
        var without = ClassifierConfiguration()
        without.leaveOutGroups = 0
        var with = ClassifierConfiguration()
        with.leaveOutGroups = 3

        let capped = try IntentClassifier.train(intents, embedder: nil, configuration: without)
        let calibrated = try IntentClassifier.train(intents, embedder: nil, configuration: with)

        #expect(calibrated.threshold > capped.threshold)
        #expect(calibrated.threshold < 1)
        let reloaded = try IntentClassifier.load(bytes: Array(calibrated.serialized()), source: "memory", embedder: nil)
        #expect(reloaded.threshold == calibrated.threshold)
        #expect(reloaded.configuration.leaveOutGroups == 3)
        // The sample's out-of-scope examples, unseen in training here, stand for requests no
        // intent covers: the calibrated threshold refuses clearly more of them.
        let offTopic = try IntentLoader(directory: repositoryRoot.appendingPathComponent("intents")).load().outOfScopeExamples
        let refused = { (model: IntentClassifier) in offTopic.filter { model.predict($0).intent == "out_of_scope" }.count }
        #expect(refused(calibrated) > refused(capped))
        #expect(Double(refused(calibrated)) >= 0.25 * Double(offTopic.count))
    }

    @Test("a negative group count is refused with the field's name")
    func invalidConfiguration() throws {
        var configuration = ClassifierConfiguration()
        configuration.leaveOutGroups = -1
        #expect(throws: ClassifierError.self) {
            try IntentClassifier.train(try Self.sampleIntentsWithoutOutOfScope(), embedder: nil, configuration: configuration)
        }
    }
}
