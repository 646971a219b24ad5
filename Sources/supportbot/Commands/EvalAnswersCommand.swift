import Application
import ArgumentParser
import AssistantEvaluation
import Content
import Foundation

/// `supportbot eval-answers`: scores a labelled evaluation set (`eval/answers/`) against the
/// real assistant and prints a table by category and the misses by kind.
struct EvalAnswersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval-answers",
        abstract: "Score an answer-quality evaluation set against the assistant (route, entry, facts, nothing invented).",
        discussion: """
            DIR holds YAML files (subfolders included) of labelled conversations: each turn lists \
            the acceptable routes, intents and lead FAQ entries, the facts a right answer contains \
            and what it must not say (see eval/answers/README.md). Score the dev split while \
            tuning; score the test split only to report.
            """
    )

    @Argument(help: "Folder of evaluation files.")
    var directory = "eval/answers/dev"

    @Option(help: "Folder of intent definitions (YAML).")
    var intents = "intents"

    @Option(help: "Folder of FAQ files.")
    var faqs = "faqs"

    @Option(help: "Classifier model; trained and saved here when missing or stale.")
    var model = "state/model.sbm"

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Flag(help: "List every missed turn with what went wrong.")
    var misses = false

    @Flag(help: "Only check that the set does not restate intent examples or FAQ questions; exit 1 if it does.")
    var checkIndependence = false

    @OptionGroup var encoder: EncoderOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.makeLogger()
        let cases: [AnswerEvaluationCase]
        do {
            cases = try AnswerEvaluationParser.load(directory: URL(fileURLWithPath: directory))
        } catch {
            throw CLIError("cannot load the evaluation set; fix this and retry:\n\(error)")
        }
        guard !cases.isEmpty else { throw CLIError("no evaluation files (*.yml) in '\(directory)'") }
        if checkIndependence {
            try independence(cases)
            return
        }
        let setup = AssistantSetup(
            intentsDirectory: URL(fileURLWithPath: intents), faqsDirectory: URL(fileURLWithPath: faqs),
            modelPath: URL(fileURLWithPath: model), encoderDirectory: encoder.directory, requireCleanFAQs: true)
        let assembled: AssembledAssistant
        do {
            assembled = try await AssistantFactory.make(setup, observer: Setup.trainingObserver(), logger: logger)
        } catch {
            throw CLIError(error.description)
        }
        let progress = ProgressReporter(title: "evaluating", total: cases.count)
        let report = await AnswerEvaluator(responder: assembled.assistant).run(cases) { progress.update($0) }
        print(json ? try report.json() : report.text(title: directory, misses: misses))
    }

    private func independence(_ cases: [AnswerEvaluationCase]) throws {
        let intentSet = try Setup.loadIntents(intents)
        let entries = FAQLoader(directory: URL(fileURLWithPath: faqs)).load().entries
        let result = EvaluationIndependence().check(cases, intents: intentSet, entries: entries)
        for violation in result.violations {
            print("\(violation.location): \"\(violation.message)\" is too close to \"\(violation.content)\" (\(violation.reason))")
        }
        let closest = result.closest.map { " (\"\($0.message)\" vs \"\($0.content)\")" } ?? ""
        print(
            "\(result.messages) messages checked against \(intentSet.intents.count) intents and \(entries.count) FAQ entries: "
                + "\(result.violations.count) too close; highest word-set Jaccard \(String(format: "%.2f", result.maximumJaccard))\(closest)"
        )
        if !result.violations.isEmpty { throw ExitCode(1) }
    }
}
