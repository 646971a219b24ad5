import Application
import Assistant
import Classifier
import Content
import Foundation
import Logging
import Retrieval

/// The sample domain (repository `intents/` and `faqs/`) with a lexical-only classifier trained
/// once per test process: real content, real training, real retrieval.
enum AssistantFixture {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static var logger: Logger {
        var logger = Logger(label: "test.assistant")
        logger.logLevel = .critical
        return logger
    }

    static let intents: IntentSet = {
        do {
            return try IntentLoader(directory: root.appendingPathComponent("intents")).load()
        } catch {
            preconditionFailure("the sample intents must load: \(error)")
        }
    }()

    static let classifier: IntentClassifier = {
        do {
            return try IntentClassifier.train(intents, embedder: nil)
        } catch {
            preconditionFailure("training on the sample intents must succeed: \(error)")
        }
    }()

    /// A fresh assistant over the sample domain (its own conversation memory).
    static func assistant() async -> (Assistant, KnowledgeBase) {
        do {
            let assembled = try await AssistantFactory.assemble(
                intents: intents, classifier: classifier, faqs: root.appendingPathComponent("faqs"), embedder: nil, logger: logger)
            return (assembled.assistant, assembled.knowledge)
        } catch {
            preconditionFailure("the sample domain must assemble: \(error)")
        }
    }
}
