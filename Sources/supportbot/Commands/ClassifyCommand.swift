import ArgumentParser
import Classifier
import Foundation
import Server

/// `supportbot classify`: stdin lines in, one JSON line per prediction out.
struct ClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Classify stdin lines with a trained model.",
        discussion: #"Prints one JSON line per input: {"text","intent","confidence","top":[{"intent","confidence"},…]}."#
    )

    @Option(help: "Model file written by 'supportbot train'.")
    var model = "state/model.sbm"

    @OptionGroup var encoder: EncoderOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.makeLogger()
        let embedder = try encoder.load(logger: logger)
        let classifier: IntentClassifier
        do {
            classifier = try IntentClassifier.load(from: URL(fileURLWithPath: model), embedder: embedder)
        } catch {
            throw CLIError("cannot load the model '\(model)': \(error). Train one with 'supportbot train'.")
        }
        for text in Setup.standardInputLines() {
            let prediction = classifier.predict(text)
            var object = JSONObject()
            object.field("text", text)
            object.field("intent", prediction.intent)
            object.field("confidence", rounded(prediction.confidence))
            object.field(
                "top",
                raw: "["
                    + prediction.top.map { scored in
                        var entry = JSONObject()
                        entry.field("intent", scored.name)
                        entry.field("confidence", rounded(scored.confidence))
                        return entry.text
                    }.joined(separator: ",") + "]")
            Terminal.output(object.text)
        }
    }

    private func rounded(_ value: Double) -> Double {
        (value * 1_000_000).rounded() / 1_000_000
    }
}
