import Classifier
import Content
import Encoder
import Foundation
import Logging
import Synchronization

/// Keeps the serving model in step with `intents/`: on a change it validates the folder,
/// retrains in the background and swaps the new model in atomically. A broken file is logged
/// with `file:line` and the old model keeps serving; requests never wait for training. With
/// `fineTuning` set, each new head-only model is followed by a fine-tuned one trained in the
/// background and swapped in when ready (see `scheduleFineTune()`).
public final class IntentRetrainer: Sendable {
    /// What one retrain attempt did.
    public enum Outcome: Sendable, Equatable {
        /// A new model is serving.
        case swapped(intents: Int)
        /// The content did not change what the model is trained on.
        case unchanged
        /// The folder has errors; the previous model keeps serving.
        case rejected([ContentError])
        /// Training itself failed; the previous model keeps serving.
        case failed(String)
    }

    private let directory: URL
    let runtime: IntentRuntime
    let embedder: (any TextEmbedder)?
    let modelPath: URL?
    let configuration: ClassifierConfiguration
    private let watcherConfiguration: DirectoryWatcher.Configuration
    let fineTuning: FineTuneConfiguration?
    let background = Mutex<BackgroundFineTune?>(nil)
    let logger: Logger

    /// - Parameters:
    ///   - modelPath: where to save each new model so a restart needs no training.
    ///   - fineTuning: fine-tune the encoder in the background after each retrain (and at
    ///     `run()` when the serving model is head-only); nil (the default) never does.
    public init(
        directory: URL, runtime: IntentRuntime, embedder: (any TextEmbedder)?, modelPath: URL?,
        configuration: ClassifierConfiguration = .init(), fineTuning: FineTuneConfiguration? = nil,
        watcherConfiguration: DirectoryWatcher.Configuration = .init(), logger: Logger
    ) {
        self.fineTuning = fineTuning
        self.directory = directory
        self.runtime = runtime
        self.embedder = embedder
        self.modelPath = modelPath
        self.configuration = configuration
        self.watcherConfiguration = watcherConfiguration
        self.logger = logger
    }

    /// Watches the folder until the task is cancelled (starting a background fine-tune first
    /// when the serving model needs one).
    public func run() async {
        scheduleFineTune()
        let watcher = DirectoryWatcher(directory: directory, configuration: watcherConfiguration, logger: logger) { name in
            !name.hasPrefix(".") && (name.hasSuffix(".yml") || name.hasSuffix(".yaml"))
        }
        await watcher.run { [self] in
            _ = await retrain()
        }
        // Wait for a running fine-tune to stop: its BLAS work must not outlive the process's
        // teardown (OpenBLAS frees its buffers at exit).
        await stopFineTune()
    }

    /// Loads the folder and, if it is valid and changed, trains and swaps a new model.
    public func retrain() async -> Outcome {
        let intents: IntentSet
        do {
            intents = try IntentLoader(directory: directory, displayName: directory.lastPathComponent, logger: logger).load()
        } catch {
            for problem in error.errors {
                logger.error("intents.reload.rejected", metadata: ["error": "\(problem)"])
            }
            return .rejected(error.errors)
        }
        guard intents.contentHash != runtime.current.intents.contentHash else { return .unchanged }
        for warning in intents.warnings {
            logger.warning("intents.reload.warning", metadata: ["warning": "\(warning)"])
        }
        let started = ContinuousClock.now
        let embedder = self.embedder
        let configuration = self.configuration
        let classifier: IntentClassifier
        do {
            // Seconds of CPU work: on a dispatch queue, not the Swift concurrency pool (two threads
            // on two cores), so connections keep being served while it trains.
            classifier = try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global(qos: .utility).async {
                    continuation.resume(
                        with: Result { try IntentClassifier.train(intents, embedder: embedder, configuration: configuration) })
                }
            }
        } catch {
            logger.error("intents.retrain.failed", metadata: ["error": "\(error)"])
            return .failed("\(error)")
        }
        if let modelPath {
            do {
                try classifier.write(to: modelPath)
            } catch {
                logger.warning("model.save.failed", metadata: ["error": "\(error)", "model.path": "\(modelPath.path)"])
            }
        }
        runtime.swap(.init(intents: intents, classifier: classifier))
        logger.notice(
            "intents.retrained",
            metadata: ["intents": "\(classifier.intents.count)", "duration": "\(started.duration(to: .now))"]
        )
        scheduleFineTune()
        return .swapped(intents: classifier.intents.count)
    }
}
