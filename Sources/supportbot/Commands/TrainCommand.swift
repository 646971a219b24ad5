import ArgumentParser
import Classifier
import Encoder
import Foundation

/// `supportbot train`: train the intent classifier on a folder of intents and save it.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the intent classifier on intents/ and write the model file.",
        discussion: """
            By default only the classifier's head is trained on the frozen encoder (seconds). \
            --fine-tune first tunes the encoder's top layers on the intents (minutes; see \
            docs/classifier.md), and stores them in the model file.
            """
    )

    @Option(help: "Folder of intent definitions (YAML).")
    var intents = "intents"

    @Option(help: "Where to write the model.")
    var out = "state/model.sbm"

    @Option(help: "Random seed; the same seed and content give identical model bytes.")
    var seed: UInt64 = 42

    @Option(
        help:
            "Out-of-scope score the threshold is calibrated on: the top probability averaged with the similarity to the nearest training example (combined, with the encoder), or the probability alone."
    )
    var outOfScopeScore: OutOfScopeScore = .combined

    @Option(
        help:
            "Groups of intents left out in turn to calibrate the out-of-scope threshold on intents the model never saw (0: only the out_of_scope examples). A fine-tuned model always calibrates without them."
    )
    var leaveOutGroups = ClassifierConfiguration().leaveOutGroups

    @Flag(
        help:
            "Fine-tune the encoder's top layers on the intents before training the classifier (minutes, not seconds; needs the encoder)."
    )
    var fineTune = false

    @Option(help: "With --fine-tune: how many of the encoder's top layers to tune (1-6).")
    var tunedLayers = FineTuneConfiguration().tunedLayers

    @Option(help: "With --fine-tune: most passes over the examples (early stopping on held-out accuracy).")
    var fineTuneEpochs = FineTuneConfiguration().epochs

    @Option(help: "With --fine-tune: peak learning rate of the tuned layers (AdamW, warm-up then linear decay).")
    var fineTuneLearningRate = FineTuneConfiguration().learningRate

    @Option(help: "With --fine-tune: BLAS threads while tuning (default: every core).")
    var threads = ProcessInfo.processInfo.activeProcessorCount

    @OptionGroup var encoder: EncoderOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.makeLogger()
        let intentSet = try Setup.loadIntents(intents)
        let embedder = try encoder.load(logger: logger)
        var configuration = ClassifierConfiguration()
        configuration.similarityInDecision = outOfScopeScore == .combined
        guard leaveOutGroups >= 0 else { throw CLIError("--leave-out-groups must be 0 or more") }
        configuration.leaveOutGroups = leaveOutGroups
        let model: IntentClassifier
        if fineTune {
            guard let base = embedder as? MiniLMEncoder else {
                throw CLIError("--fine-tune needs the encoder: run scripts/fetch-encoder (and drop --no-encoder)")
            }
            guard (1...6).contains(tunedLayers), fineTuneEpochs > 0, threads > 0, fineTuneLearningRate > 0,
                fineTuneLearningRate < 1
            else {
                throw CLIError(
                    "--tuned-layers must be 1 to 6, --fine-tune-epochs and --threads positive, --fine-tune-learning-rate in (0, 1)")
            }
            let fineTuning = FineTuneConfiguration(
                tunedLayers: tunedLayers, epochs: fineTuneEpochs, learningRate: fineTuneLearningRate, threads: threads)
            model = try Setup.trainFineTuned(
                intents: intentSet, encoder: base, seed: seed, configuration: configuration, fineTuning: fineTuning,
                logger: logger)
        } else {
            model = try Setup.train(intents: intentSet, embedder: embedder, seed: seed, configuration: configuration)
        }
        let url = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        do {
            try model.write(to: url)
        } catch {
            throw CLIError("cannot write the model to \(out): \(error)")
        }
        Terminal.note("model written to \(out)")
    }
}

/// What the out-of-scope threshold is calibrated on (`ClassifierConfiguration.similarityInDecision`).
enum OutOfScopeScore: String, ExpressibleByArgument, CaseIterable {
    case combined, probability
}
