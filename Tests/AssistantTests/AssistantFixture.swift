import Application
import Assistant
import Classifier
import Content
import Encoder
import Foundation
import Logging
import Retrieval
import Testing

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

    /// The MiniLM encoder from `models/minilm` (`scripts/fetch-encoder`), if its weights are there.
    static let encoder: MiniLMEncoder? = try? MiniLMEncoder(directory: root.appendingPathComponent("models/minilm"), logger: logger)

    /// Whether `encodedAssistant()` can be built (or the model is required, so its absence fails).
    static var hasEncoder: Bool {
        encoder != nil || ProcessInfo.processInfo.environment["SUPPORTBOT_REQUIRE_MODEL"] == "1"
    }

    /// A fresh assistant whose knowledge base and message queue use the real encoder (the
    /// classifier stays lexical-only, to keep the test fast).
    static func encodedAssistant() async throws -> Assistant {
        let encoder = try #require(encoder)
        let assembled = try await AssistantFactory.assemble(
            intents: intents, classifier: classifier, faqs: root.appendingPathComponent("faqs"), embedder: encoder,
            logger: logger)
        return assembled.assistant
    }

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
