import Classifier
import Content
import Encoder
import Foundation
import TestSupport

/// Small intent folders in the operator's YAML format, loaded with the real `IntentLoader`.
enum ClassifierFixture {
    static let support = """
        - intent: reset_password
          answer: You can reset it from the login page.
          examples:
            - I forgot my password
            - how do I reset my password
            - reset password please
            - I can't remember my password
            - send me a password reset link
            - change my forgotten password
            - I need a new password
            - my password does not work anymore
        - intent: track_order
          answer: Your order is on its way.
          examples:
            - where is my order
            - track my package
            - has my order shipped yet
            - when will my parcel arrive
            - what is my order tracking number
            - where is my delivery
            - my package has not arrived
            - what's the status of my order
        - intent: cancel_subscription
          answer: I have cancelled your subscription.
          examples:
            - cancel my subscription
            - I want to unsubscribe
            - stop my membership
            - end my subscription now
            - how do I cancel my plan
            - terminate my subscription
            - cancel the monthly plan
            - stop billing me every month
        - intent: opening_hours
          answer: We are open 9 to 5 on weekdays.
          examples:
            - what are your opening hours
            - when are you open
            - what time do you close
            - are you open on sunday
            - store hours
            - what time does the shop open
            - holiday opening times
            - are you open today

        """

    static let outOfScope = """
        - intent: out_of_scope
          examples:
            - what's the weather like
            - tell me a joke
            - who won the football match
            - what is the capital of france
            - recommend a good movie
            - how tall is mount everest
            - sing me a song
            - what is two plus two
            - write me a poem about cats
            - who is the president

        """

    /// Writes the fixture into `folder/intents` (with out-of-scope examples unless told not to)
    /// and loads it.
    static func load(into folder: TemporaryDirectory, outOfScope includeOutOfScope: Bool = true) throws -> IntentSet {
        try folder.write("intents/support.yml", support)
        if includeOutOfScope { try folder.write("intents/refuse.yml", outOfScope) }
        return try IntentLoader(directory: folder.file("intents")).load()
    }

    /// Training settings that keep the tiny fixture fast and stable.
    static var configuration: ClassifierConfiguration {
        var configuration = ClassifierConfiguration()
        configuration.validationFraction = 0.25
        return configuration
    }

    /// The real MiniLM encoder from `models/minilm`, or nil when the weights are absent (an
    /// error then, when `SUPPORTBOT_REQUIRE_MODEL=1`).
    static func encoder(precision: EncoderPrecision = .auto) throws -> MiniLMEncoder? {
        let directory = repositoryRoot.appendingPathComponent("models/minilm")
        let present = MiniLMEncoder.requiredFiles.allSatisfy {
            FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
        }
        guard present else {
            if ProcessInfo.processInfo.environment["SUPPORTBOT_REQUIRE_MODEL"] == "1" {
                throw MissingModel(directory: directory.path)
            }
            return nil
        }
        return try MiniLMEncoder(directory: directory, configuration: EncoderConfiguration(precision: precision))
    }

    /// Whether the encoder weights are present (for `.enabled(if:)`), or required.
    static var encoderAvailable: Bool {
        ProcessInfo.processInfo.environment["SUPPORTBOT_REQUIRE_MODEL"] == "1"
            || MiniLMEncoder.requiredFiles.allSatisfy {
                FileManager.default.fileExists(
                    atPath: repositoryRoot.appendingPathComponent("models/minilm").appendingPathComponent($0).path)
            }
    }

    /// The package root: three levels above this file (Tests/ClassifierTests/…).
    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    struct MissingModel: Error, CustomStringConvertible {
        let directory: String
        var description: String {
            "SUPPORTBOT_REQUIRE_MODEL=1 but the encoder weights are missing in \(directory); run scripts/fetch-encoder"
        }
    }
}
