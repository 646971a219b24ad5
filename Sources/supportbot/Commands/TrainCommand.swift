import ArgumentParser
import Classifier
import Foundation

/// `supportbot train`: train the intent classifier on a folder of intents and save it.
struct TrainCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the intent classifier on intents/ and write the model file."
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

    @OptionGroup var encoder: EncoderOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.makeLogger()
        let intentSet = try Setup.loadIntents(intents)
        let embedder = try encoder.load(logger: logger)
        var configuration = ClassifierConfiguration()
        configuration.similarityInDecision = outOfScopeScore == .combined
        let model = try Setup.train(intents: intentSet, embedder: embedder, seed: seed, configuration: configuration)
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
