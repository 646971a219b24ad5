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

    @Flag(help: "Print the report as JSON.")
    var json = false

    @Flag(help: "List every missed turn with what went wrong.")
    var misses = false

    @Flag(help: "Only check that the set does not restate intent examples or FAQ questions; exit 1 if it does.")
    var checkIndependence = false

    @OptionGroup var options: AssistantOptions
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
        let assembled = try await options.makeAssistant(logger: logger)
        let progress = ProgressReporter(title: "evaluating", total: cases.count)
        let report = await AnswerEvaluator(responder: assembled.assistant).run(cases) { progress.update($0) }
        print(json ? try report.json() : report.text(title: directory, misses: misses))
    }

    private func independence(_ cases: [AnswerEvaluationCase]) throws {
        let intentSet = try Setup.loadIntents(options.intents)
        let entries = FAQLoader(directory: URL(fileURLWithPath: options.faqs)).load().entries
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
