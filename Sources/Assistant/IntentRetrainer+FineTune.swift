import Classifier
import Content
import Encoder
import Foundation
import Logging
import Synchronization

extension IntentRetrainer {
    /// What a background fine-tune did.
    public enum FineTuneOutcome: Sendable, Equatable {
        /// The fine-tuned model is serving (and saved).
        case swapped(layers: Int)
        /// Nothing to do: fine-tuning is off, there is no encoder, or the model is already tuned.
        case skipped(String)
        /// The intents changed (or another fine-tune started) before it finished; dropped.
        case superseded
        /// Fine-tuning failed; the head-only model keeps serving.
        case failed(String)
    }

    /// A fine-tune running in the background and how to stop it.
    struct BackgroundFineTune: Sendable {
        let stop: StopFlag
        let task: Task<FineTuneOutcome, Never>
    }

    /// Set once to ask a fine-tune off the concurrency pool to stop between steps.
    final class StopFlag: Sendable {
        private let flag = Atomic<Bool>(false)
        var isSet: Bool { flag.load(ordering: .relaxed) }
        func set() { flag.store(true, ordering: .relaxed) }
    }

    /// Starts fine-tuning the serving intents in the background, stopping any fine-tune already
    /// running. The head-only model keeps answering meanwhile; when the tuned model is ready it
    /// is swapped in (only if the intents have not changed since) and saved to `modelPath`.
    /// The work runs on a background dispatch queue with the encoder's BLAS threads (one by
    /// default), so connections keep being served. Returns the task, for tests and shutdown.
    @discardableResult
    public func scheduleFineTune() -> Task<FineTuneOutcome, Never> {
        cancelFineTune()
        let snapshot = runtime.current
        guard let fineTuning else { return Task { .skipped("fine-tuning is off") } }
        guard let encoder = embedder as? MiniLMEncoder else { return Task { .skipped("no encoder to fine-tune") } }
        guard snapshot.classifier.tunedLayers == nil else { return Task { .skipped("the model is already fine-tuned") } }
        let stop = StopFlag()
        let configuration = self.configuration
        let task = Task<FineTuneOutcome, Never>.detached(priority: .background) { [self] in
            let started = ContinuousClock.now
            logger.notice(
                "intents.fine_tune.started",
                metadata: ["intents": "\(snapshot.classifier.intents.count)", "layers": "\(fineTuning.tunedLayers)"])
            let result = await withCheckedContinuation {
                (continuation: CheckedContinuation<Result<IntentClassifier, ClassifierError>, Never>) in
                DispatchQueue.global(qos: .background).async {
                    continuation.resume(
                        returning: Result { () throws(ClassifierError) -> IntentClassifier in
                            try IntentClassifier.trainFineTuned(
                                snapshot.intents, encoder: encoder, configuration: configuration, fineTuning: fineTuning,
                                shouldStop: { stop.isSet }
                            ).classifier
                        })
                }
            }
            let classifier: IntentClassifier
            switch result {
            case .failure(let error) where error.code == .cancelled || stop.isSet:
                logger.debug("intents.fine_tune.superseded")
                return .superseded
            case .failure(let error):
                logger.error(
                    "intents.fine_tune.failed", metadata: ["error": "\(error)", "hint": "the head-only model keeps serving"])
                return .failed(error.description)
            case .success(let tuned):
                classifier = tuned
            }
            guard !stop.isSet,
                runtime.swap(.init(intents: snapshot.intents, classifier: classifier), ifContentHash: snapshot.intents.contentHash)
            else {
                logger.debug("intents.fine_tune.superseded")
                return .superseded
            }
            if let modelPath {
                do {
                    try classifier.write(to: modelPath)
                } catch {
                    logger.warning("model.save.failed", metadata: ["error": "\(error)", "model.path": "\(modelPath.path)"])
                }
            }
            let layers = classifier.tunedLayers?.layerCount ?? 0
            logger.notice(
                "intents.fine_tuned",
                metadata: [
                    "intents": "\(classifier.intents.count)", "layers": "\(layers)",
                    "encoder": "\(classifier.encoderIdentity ?? "")", "duration": "\(started.duration(to: .now))",
                ])
            return .swapped(layers: layers)
        }
        background.withLock { $0 = BackgroundFineTune(stop: stop, task: task) }
        return task
    }

    /// Stops a background fine-tune, if one is running, and waits until its work has ended
    /// (at its next step, well under a second).
    public func stopFineTune() async {
        let running = background.withLock { current -> BackgroundFineTune? in
            defer { current = nil }
            return current
        }
        running?.stop.set()
        running?.task.cancel()
        _ = await running?.task.value
    }

    /// Stops a background fine-tune, if one is running (it ends at its next step), without
    /// waiting for it.
    public func cancelFineTune() {
        let running = background.withLock { current -> BackgroundFineTune? in
            defer { current = nil }
            return current
        }
        running?.stop.set()
        running?.task.cancel()
    }
}
