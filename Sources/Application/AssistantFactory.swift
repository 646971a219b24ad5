import Assistant
import Classifier
import Content
import Encoder
import Foundation
import Generation
import Logging
import Retrieval

/// An assistant with the parts it was built from, for callers that also watch folders, retrain
/// or search the knowledge base directly.
public struct AssembledAssistant: Sendable {
    public var assistant: Assistant
    public var intents: IntentSet
    public var runtime: IntentRuntime
    public var knowledge: KnowledgeBase
    public var embedder: (any TextEmbedder)?
    /// Problems found in `faqs/` (the files were skipped), when the setup allowed them.
    public var faqErrors: [ContentError]
}

/// The one way "content folders → assistant": every command, benchmark and test that needs a
/// real assistant goes through here, so they all answer alike.
public enum AssistantFactory {
    /// What the factory reports while it works.
    public struct Observer: Sendable {
        /// Training progress, when the model must be (re)trained.
        public var trainingProgress: (@Sendable (TrainingProgress) -> Void)?
        /// A one-line summary after training.
        public var trained: (@Sendable (String) -> Void)?
        /// Fine-tuning progress (`train --fine-tune`).
        public var fineTuneProgress: (@Sendable (FineTuneProgress) -> Void)?

        public init(
            trainingProgress: (@Sendable (TrainingProgress) -> Void)? = nil, trained: (@Sendable (String) -> Void)? = nil,
            fineTuneProgress: (@Sendable (FineTuneProgress) -> Void)? = nil
        ) {
            self.trainingProgress = trainingProgress
            self.trained = trained
            self.fineTuneProgress = fineTuneProgress
        }
    }

    /// Loads intents, the encoder and the model (training it when missing or stale), loads the
    /// knowledge base, and builds the assistant with `generator`.
    public static func make(
        _ setup: AssistantSetup, generator: any AnswerGenerator = GroundedComposer(),
        configuration: AssistantConfiguration = .init(), observer: Observer = .init(), logger: Logger
    ) async throws(ApplicationError) -> AssembledAssistant {
        let intents = try loadIntents(setup.intentsDirectory)
        for warning in intents.warnings {
            logger.warning("intents.load.warning", metadata: ["warning": "\(warning)"])
        }
        let embedder = try setup.encoderDirectory.flatMap { directory throws(ApplicationError) in
            try loadEncoder(
                directory: directory, configuration: EncoderConfiguration(precision: setup.encoderPrecision), logger: logger)
        }
        let classifier = try loadOrTrain(
            intents: intents, embedder: embedder, modelPath: setup.modelPath, seed: setup.seed, observer: observer, logger: logger)
        return try await assemble(
            intents: intents, classifier: classifier, faqs: setup.faqsDirectory, embedder: embedder, retrieval: setup.retrieval,
            requireCleanFAQs: setup.requireCleanFAQs, generator: generator, configuration: configuration,
            encoderThreads: setup.encoderThreads, logger: logger)
    }

    /// Builds the assistant from intents and a classifier already in hand (tests train one once
    /// per process), loading the knowledge base from `faqs`.
    public static func assemble(
        intents: IntentSet, classifier: IntentClassifier, faqs: URL, embedder: (any TextEmbedder)?,
        retrieval: RetrievalConfiguration = .init(), requireCleanFAQs: Bool = false,
        generator: any AnswerGenerator = GroundedComposer(), configuration: AssistantConfiguration = .init(),
        encoderThreads: Int = ProcessInfo.processInfo.activeProcessorCount, logger: Logger
    ) async throws(ApplicationError) -> AssembledAssistant {
        let knowledge = KnowledgeBase(directory: faqs, embedder: embedder, configuration: retrieval, logger: logger)
        let report = await knowledge.reload()
        if requireCleanFAQs, !report.errors.isEmpty {
            throw ApplicationError("fix the FAQ files first:\n" + report.errors.map { "  \($0)" }.joined(separator: "\n"))
        }
        for error in report.errors {
            logger.warning("faq.file.skipped", metadata: ["error": "\(error)"])
        }
        let runtime = IntentRuntime(.init(intents: intents, classifier: classifier))
        let assistant = Assistant(
            intents: runtime, knowledge: knowledge, generator: generator,
            embeddings: embedder.map { EmbeddingQueue(embedder: $0, workers: encoderThreads) }, configuration: configuration,
            logger: logger)
        return AssembledAssistant(
            assistant: assistant, intents: intents, runtime: runtime, knowledge: knowledge, embedder: embedder,
            faqErrors: report.errors)
    }

    /// Loads `intents/`, turning every problem into one message listing them all.
    public static func loadIntents(_ directory: URL) throws(ApplicationError) -> IntentSet {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw ApplicationError("intents folder '\(directory.path)' does not exist; pass --intents DIR")
        }
        do {
            return try IntentLoader(directory: directory, displayName: directory.lastPathComponent).load()
        } catch {
            throw ApplicationError("cannot load intents; fix these and retry:\n\(error)")
        }
    }

    /// The encoder, or nil (with a loud warning) when its weights are missing.
    public static func loadEncoder(
        directory: URL, configuration: EncoderConfiguration = .init(), logger: Logger
    ) throws(ApplicationError) -> (any TextEmbedder)? {
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("model.safetensors").path) else {
            logger.warning(
                "encoder.missing",
                metadata: [
                    "hint": "running on lexical features only; run scripts/fetch-encoder (or make run) for full accuracy",
                    "encoder.directory": "\(directory.path)",
                ]
            )
            return nil
        }
        do {
            return try MiniLMEncoder(directory: directory, configuration: configuration, logger: logger)
        } catch  where error.code == .precisionUnavailable {
            throw ApplicationError("cannot run the encoder: \(error.message)")
        } catch {
            throw ApplicationError(
                "cannot load the encoder from \(directory.path): \(error). Delete the folder and run scripts/fetch-encoder.")
        }
    }

    /// Loads the model at `modelPath` when it matches the intents and encoder; otherwise trains
    /// one and saves it there.
    public static func loadOrTrain(
        intents: IntentSet, embedder: (any TextEmbedder)?, modelPath: URL, seed: UInt64 = 42, observer: Observer = .init(),
        logger: Logger
    ) throws(ApplicationError) -> IntentClassifier {
        if FileManager.default.fileExists(atPath: modelPath.path) {
            do {
                let model = try IntentClassifier.load(from: modelPath, embedder: embedder)
                if let reason = model.staleness(for: intents, embedder: embedder) {
                    logger.notice("model.stale", metadata: ["reason": "\(reason)"])
                } else {
                    logger.info("model.loaded", metadata: ["model.path": "\(modelPath.path)", "intents": "\(model.intents.count)"])
                    return model
                }
            } catch {
                logger.warning("model.unreadable", metadata: ["error": "\(error)"])
            }
        }
        let model = try train(intents: intents, embedder: embedder, seed: seed, observer: observer)
        do {
            try FileManager.default.createDirectory(at: modelPath.deletingLastPathComponent(), withIntermediateDirectories: true)
            try model.write(to: modelPath)
        } catch {
            throw ApplicationError("cannot save the model to \(modelPath.path): \(error)")
        }
        return model
    }

    /// Fine-tunes the encoder's top layers on `intents`, trains the head on the tuned
    /// embeddings, and reports a one-line summary (`IntentClassifier.trainFineTuned`).
    public static func trainFineTuned(
        intents: IntentSet, encoder: MiniLMEncoder, seed: UInt64, configuration: ClassifierConfiguration = .init(),
        fineTuning: FineTuneConfiguration = .init(), observer: Observer = .init(),
        logger: Logger = Logger(label: "supportbot.classifier")
    ) throws(ApplicationError) -> IntentClassifier {
        var configuration = configuration
        configuration.seed = seed
        var fineTuning = fineTuning
        fineTuning.seed = seed
        let started = ContinuousClock.now
        let trained: (classifier: IntentClassifier, fineTune: FineTuneResult)
        do {
            trained = try IntentClassifier.trainFineTuned(
                intents, encoder: encoder, configuration: configuration, fineTuning: fineTuning, logger: logger,
                fineTuneProgress: observer.fineTuneProgress, progress: observer.trainingProgress)
        } catch {
            throw ApplicationError("fine-tuning failed: \(error)")
        }
        let model = trained.classifier
        let result = trained.fineTune
        let heldOut =
            result.epochs[result.bestEpoch - 1].heldOutAccuracy.map { String(format: ", held-out accuracy %.1f%%", $0 * 100) } ?? ""
        observer.trained?(
            String(
                format:
                    "fine-tuned %d encoder layers (best epoch %d of %d%@) and trained %d intents in %.1f s; out-of-scope threshold %.3f",
                result.tuned.layerCount, result.bestEpoch, result.epochs.count, heldOut, model.intents.count,
                seconds(since: started), model.threshold))
        return model
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = start.duration(to: .now).components
        return Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
    }

    /// Trains with progress, then reports a one-line summary.
    public static func train(
        intents: IntentSet, embedder: (any TextEmbedder)?, seed: UInt64, configuration: ClassifierConfiguration = .init(),
        observer: Observer = .init()
    ) throws(ApplicationError) -> IntentClassifier {
        var configuration = configuration
        configuration.seed = seed
        let started = ContinuousClock.now
        let model: IntentClassifier
        do {
            model = try IntentClassifier.train(
                intents, embedder: embedder, configuration: configuration, progress: observer.trainingProgress)
        } catch {
            throw ApplicationError("training failed: \(error)")
        }
        let seconds =
            Double(started.duration(to: .now).components.seconds) + Double(started.duration(to: .now).components.attoseconds) / 1e18
        observer.trained?(
            String(
                format: "trained %d intents (%@) in %.1f s; out-of-scope threshold %.3f, clarification margin %.3f",
                model.intents.count, embedder == nil ? "lexical features" : "encoder + lexical features",
                seconds, model.threshold, model.clarification.margin
            ))
        return model
    }
}
