import ArgumentParser
import Classifier
import Foundation

/// `supportbot evaluate`: how well the classifier does on `intents/`, by k-fold cross-validation
/// or on a held-out test file.
struct EvaluateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate the intent classifier: accuracy, macro F1, per-intent scores, confusions, OOS recall, AUROC.",
        discussion:
            #"--test takes JSON lines {"text": "...", "intent": "..."} (use "out_of_scope" for messages to refuse; a label of no intent counts as out of scope, and labels written as in a CSV given to import-intents match the intents they became); without it, k-fold cross-validation on intents/."#
    )

    @Option(help: "Folder of intent definitions (YAML).")
    var intents = "intents"

    @Option(help: "Cross-validation folds.")
    var folds = 5

    @Option(help: "A JSONL test set; train on all of intents/ and evaluate on it.")
    var test: String?

    @Option(help: "Random seed.")
    var seed: UInt64 = 42

    @Flag(help: "Print the evaluation as one JSON object.")
    var json = false

    @Option(
        help:
            "Also write a self-contained HTML report (tables, confusion heat map, score histograms, threshold curve, worst examples) to this file."
    )
    var html: String?

    @Option(help: "Out-of-scope score: combined (probability and similarity to the nearest training example) or probability.")
    var outOfScopeScore: OutOfScopeScore = .combined

    @OptionGroup var encoder: EncoderOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard folds >= 2 else { throw ValidationError("--folds must be at least 2") }
    }

    func run() async throws {
        let logger = logging.makeLogger()
        let intentSet = try Setup.loadIntents(intents)
        let embedder = try encoder.load(logger: logger)
        var configuration = ClassifierConfiguration()
        configuration.seed = seed
        configuration.similarityInDecision = outOfScopeScore == .combined
        let evaluator = Evaluator(configuration: configuration, embedder: embedder, logger: logger)
        let evaluation: Evaluation
        do {
            if let test {
                evaluation = try evaluator.evaluate(training: intentSet, test: try Self.readTestSet(test))
            } else {
                let reporter = ProgressReporter(title: "cross-validation folds", total: folds)
                evaluation = try evaluator.crossValidate(intentSet, folds: folds) { done, _ in reporter.update(done) }
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("evaluation failed: \(error)")
        }
        if let html {
            let title = test.map { "\(intents) against \($0)" } ?? intents
            do {
                try EvaluationHTML.render(evaluation, title: title).write(
                    to: URL(fileURLWithPath: html), atomically: true, encoding: .utf8)
            } catch {
                throw CLIError("cannot write the report to \(html): \(error.localizedDescription)")
            }
            Terminal.note("report written to \(html)")
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            Terminal.output(String(decoding: try encoder.encode(evaluation), as: UTF8.self))
        } else {
            Terminal.output(evaluation.table())
        }
    }

    static func readTestSet(_ path: String) throws -> [Evaluator.Example] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CLIError("cannot read --test '\(path)': \(error.localizedDescription)")
        }
        var examples: [Evaluator.Example] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let example = try? JSONDecoder().decode(Evaluator.Example.self, from: Data(line.utf8)) else {
                throw CLIError("\(path):\(number + 1): expected {\"text\": \"...\", \"intent\": \"...\"}")
            }
            examples.append(example)
        }
        guard !examples.isEmpty else { throw CLIError("\(path) holds no examples") }
        return examples
    }
}
