import Foundation
import Logging

/// The training procedure: hold out part of every intent, train with early stopping while
/// watching held-out accuracy, calibrate the out-of-scope threshold on the held-out predictions
/// of the best epoch, then retrain on everything for that many epochs. Embeddings must already
/// be attached to the data (so cross-validation can reuse them).
struct ClassifierTrainer: Sendable {
    /// What training produced.
    struct Result: Sendable {
        var fitted: FittedModel
        var threshold: Double
        /// Largest top-two gap that asks the customer which intent was meant.
        var clarifyMargin: Double
        /// Epochs of the final run (the best epoch of the held-out run).
        var epochs: Int
        /// Held-out accuracy at that epoch (nil when there was nothing to hold out).
        var validationAccuracy: Double?
    }

    let configuration: ClassifierConfiguration
    let logger: Logger

    /// Trains on `data`; `progress` is called after every epoch of both runs.
    func train(_ data: TrainingData, progress: (@Sendable (TrainingProgress) -> Void)?) -> Result {
        var generator = SeededGenerator(seed: configuration.seed)
        let split = data.split(heldOutFraction: configuration.validationFraction, generator: &generator)
        let maximumEpochs = max(configuration.epochs, 1)
        var epochs = maximumEpochs
        var threshold = configuration.fixedThreshold ?? 0.5
        var clarifyMargin = ClarificationCalibrator().defaultMargin
        var validationAccuracy: Double?

        if !split.heldOut.isEmpty, configuration.validationFraction > 0 {
            let trainPart = data.subset(split.train)
            let heldOut = data.subset(split.heldOut)
            let watched = watchedRun(trainPart, heldOut: heldOut, maximumEpochs: maximumEpochs, progress: progress)
            epochs = watched.bestEpoch
            validationAccuracy = watched.bestAccuracy
            if configuration.fixedThreshold == nil {
                let calibrator = ThresholdCalibrator(
                    outOfScopeWeight: configuration.outOfScopeWeight, inScopeRejection: configuration.inScopeRejection,
                    inScopeRejectionWithNegatives: configuration.inScopeRejectionWithNegatives)
                let novel = leftOutIntentSamples(data, epochs: watched.bestEpoch, generator: &generator)
                threshold = calibrator.threshold(watched.samples, novel: novel)
            }
            clarifyMargin = ClarificationCalibrator().margin(watched.ambiguity, threshold: threshold)
        }
        let fitted = finalRun(data, epochs: epochs, progress: progress)
        logger.debug(
            "classifier.train.finished",
            metadata: [
                "classifier.epochs": "\(epochs)", "classifier.threshold": "\(threshold)",
                "classifier.clarify_margin": "\(clarifyMargin)",
                "classifier.features": "\(fitted.featurizer.featureCount)",
            ])
        return Result(
            fitted: fitted, threshold: threshold, clarifyMargin: clarifyMargin, epochs: epochs,
            validationAccuracy: validationAccuracy)
    }

    /// Trains on `train` for up to `maximumEpochs`, stopping after `patience` epochs without a
    /// better held-out accuracy; returns the best epoch and the held-out samples it produced.
    private func watchedRun(
        _ train: TrainingData, heldOut: TrainingData, maximumEpochs: Int,
        progress: (@Sendable (TrainingProgress) -> Void)?
    ) -> (bestEpoch: Int, bestAccuracy: Double, samples: [ThresholdCalibrator.Sample], ambiguity: [ClarificationCalibrator.Sample])
    {
        let pipeline = pipeline(fitting: train)
        var trainer = SoftmaxTrainer(
            model: pipeline.emptyModel, settings: settings, seed: configuration.seed &+ 1)
        let examples = pipeline.examples(train)
        let heldOutFeatures = pipeline.features(heldOut)
        // The exemplars are the training split's: the similarities do not change between epochs.
        let heldOutSimilarities = pipeline.exemplars?.nearest(batch: heldOut.embeddings) ?? []
        var best = (
            epoch: 1, accuracy: -1.0, loss: Double.infinity, samples: [ThresholdCalibrator.Sample](),
            ambiguity: [ClarificationCalibrator.Sample]()
        )
        for epoch in 1...maximumEpochs {
            let loss = trainer.runEpoch(examples)
            let fitted = pipeline.fitted(trainer.model)
            let scored = score(fitted, features: heldOutFeatures, labels: heldOut.labels, similarities: heldOutSimilarities)
            progress?(
                TrainingProgress(
                    phase: .validation, epoch: epoch, epochs: maximumEpochs, loss: loss, validationAccuracy: scored.accuracy))
            if scored.accuracy > best.accuracy || (scored.accuracy == best.accuracy && scored.loss < best.loss) {
                best = (epoch, scored.accuracy, scored.loss, scored.samples, scored.ambiguity)
            } else if epoch - best.epoch >= max(configuration.patience, 1) {
                break
            }
        }
        return (best.epoch, best.accuracy, best.samples, best.ambiguity)
    }

    /// Held-out accuracy (an `out_of_scope` example is right when the learned out-of-scope class
    /// wins, or always skipped when there is no such class), held-out loss, and calibration samples.
    private func score(
        _ fitted: FittedModel, features: [FeatureVector], labels: [Int], similarities: [Float?]
    ) -> (accuracy: Double, loss: Double, samples: [ThresholdCalibrator.Sample], ambiguity: [ClarificationCalibrator.Sample]) {
        var probabilities = [Float](repeating: 0, count: fitted.model.classes)
        var correct = 0
        var counted = 0
        var loss = 0.0
        var samples: [ThresholdCalibrator.Sample] = []
        samples.reserveCapacity(features.count)
        var ambiguity: [ClarificationCalibrator.Sample] = []
        for (index, (vector, label)) in zip(features, labels).enumerated() {
            fitted.model.probabilities(vector, into: &probabilities)
            let similarity = index < similarities.count ? similarities[index] : nil
            let decision = fitted.decision(probabilities, similarity: similarity)
            let isOutOfScope = label == fitted.inScopeClasses
            if !isOutOfScope || fitted.hasOutOfScopeClass {
                counted += 1
                let predicted = decision.score < 0 ? fitted.inScopeClasses : decision.best
                if predicted == label { correct += 1 }
                loss -= Double(logf(max(probabilities[label], 1e-12)))
            }
            samples.append(
                ThresholdCalibrator.Sample(
                    score: decision.score, isOutOfScope: isOutOfScope, correct: !isOutOfScope && decision.best == label))
            if !isOutOfScope, decision.score >= 0, let runnerUp = fitted.runnerUp(probabilities, best: decision.best) {
                ambiguity.append(
                    ClarificationCalibrator.Sample(
                        first: Double(probabilities[decision.best]), second: Double(probabilities[runnerUp]),
                        firstCorrect: decision.best == label, secondCorrect: runnerUp == label,
                        similarity: similarity.map(Double.init)))
            }
        }
        let accuracy = counted == 0 ? 0 : Double(correct) / Double(counted)
        return (accuracy, counted == 0 ? 0 : loss / Double(counted), samples, ambiguity)
    }

    /// Leave-some-intents-out negatives: the intents are dealt into `leaveOutGroups` groups; for
    /// each group a model is trained for `epochs` epochs on every other intent's examples (and the
    /// `out_of_scope` examples), and each left-out example's decision score becomes a negative
    /// sample. Empty with fewer than four intents or the option off.
    private func leftOutIntentSamples(
        _ data: TrainingData, epochs: Int, generator: inout SeededGenerator
    ) -> [ThresholdCalibrator.Sample] {
        let groups = configuration.leaveOutGroups
        guard groups > 0, data.intentNames.count >= max(4, groups) else { return [] }
        var intents = Array(0..<data.intentNames.count)
        generator.shuffle(&intents)
        var samples: [ThresholdCalibrator.Sample] = []
        for group in 0..<groups {
            let left = Set(intents.enumerated().filter { $0.offset % groups == group }.map(\.element))
            let kept = data.labels.indices.filter { !left.contains(data.labels[$0]) }
            let leftOut = data.labels.indices.filter { left.contains(data.labels[$0]) }
            guard !kept.isEmpty, !leftOut.isEmpty else { continue }
            let train = data.subset(kept)
            let pipeline = pipeline(fitting: train)
            var trainer = SoftmaxTrainer(
                model: pipeline.emptyModel, settings: settings, seed: configuration.seed &+ 3 &+ UInt64(group))
            let examples = pipeline.examples(train)
            for _ in 1...max(epochs, 1) { _ = trainer.runEpoch(examples) }
            let fitted = pipeline.fitted(trainer.model)
            var probabilities = [Float](repeating: 0, count: fitted.model.classes)
            let leftOutData = data.subset(leftOut)
            let similarities = fitted.exemplars?.nearest(batch: leftOutData.embeddings) ?? []
            for (index, vector) in pipeline.features(leftOutData).enumerated() {
                fitted.model.probabilities(vector, into: &probabilities)
                let similarity = index < similarities.count ? similarities[index] : nil
                samples.append(
                    ThresholdCalibrator.Sample(
                        score: fitted.decision(probabilities, similarity: similarity).score, isOutOfScope: true, correct: false))
            }
        }
        return samples
    }

    /// Trains on all of `data` for exactly `epochs` epochs.
    private func finalRun(
        _ data: TrainingData, epochs: Int, progress: (@Sendable (TrainingProgress) -> Void)?
    ) -> FittedModel {
        let pipeline = pipeline(fitting: data)
        var trainer = SoftmaxTrainer(
            model: pipeline.emptyModel, settings: settings, seed: configuration.seed &+ 2)
        let examples = pipeline.examples(data)
        for epoch in 1...max(epochs, 1) {
            let loss = trainer.runEpoch(examples)
            progress?(TrainingProgress(phase: .final, epoch: epoch, epochs: epochs, loss: loss, validationAccuracy: nil))
        }
        return pipeline.fitted(trainer.model)
    }

    private var settings: SoftmaxTrainer.Settings {
        SoftmaxTrainer.Settings(
            learningRate: Float(configuration.learningRate), l2: Float(configuration.l2),
            dropout: Float(configuration.dropout), batchSize: configuration.batchSize)
    }

    private func pipeline(fitting data: TrainingData) -> FeaturePipeline {
        FeaturePipeline(data: data, configuration: configuration)
    }
}
