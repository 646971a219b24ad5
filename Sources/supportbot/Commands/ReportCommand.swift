import ArgumentParser
import Classifier
import Encoder
import Foundation
import Logging
import Reports
import Store

/// `supportbot report`: what the bot answered, what customers rated down, and what it could
/// not answer, clustered, with a retrain-or-retrieve suggestion per cluster.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Summarise routes, feedback and unanswered questions, and suggest what to retrain or add to the FAQs.",
        discussion: """
            Reads the conversation store. Unanswered questions (fallback replies and down-rated replies) are \
            clustered with the sentence encoder (cosine ≥ 0.6) or, without it, lexical TF-IDF vectors (cosine ≥ 0.35). \
            Each cluster gets a suggestion: 'retrain' (add intent examples or a new intent) or 'RAG' (add or fix a \
            FAQ entry); see docs/report.md. Dates are YYYY-MM-DD or RFC 3339 (UTC).
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Only replies created at or after this date.")
    var since: String?

    @Option(help: "Only replies created before this date (exclusive: --until 2026-04-01 covers all of March).")
    var until: String?

    @Option(help: "Down-rated answers and question clusters to list.")
    var top = 10

    @Flag(help: "Print one JSON object instead of text.")
    var json = false

    @Option(help: "Trained classifier for the near-miss rule (default: <state>/model.sbm; skipped when missing or stale).")
    var model: String?

    @Option(help: "Intent definitions the model must match (skipped when the folder does not exist).")
    var intents = "intents"

    @OptionGroup var encoder: EncoderOptions
    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        guard top > 0 else { throw ValidationError("--top must be at least 1") }
        let window = try dates()
        if let since = window.since, let until = window.until, since >= until {
            throw ValidationError("--since must be before --until")
        }
    }

    func run() async throws {
        let logger = logging.makeLogger()
        let (since, until) = try dates()
        var configuration = ReportConfiguration()
        configuration.top = top
        let (accumulator, source) = try await database.withStore(mustExist: true, readsOnly: true, logger: logger) { store in
            do {
                let accumulator = try await store.reduceReportTurns(
                    since: since, until: until, into: ReportAccumulator(since: since, until: until, configuration: configuration)
                ) { accumulator, turn in
                    accumulator.add(turn)
                }
                return (accumulator, store.location)
            } catch {
                throw CLIError("cannot read the conversation store: \(error)")
            }
        }
        let embedder = try encoder.load(logger: logger)
        let classifier = loadClassifier(embedder: embedder)
        let report: ConversationReport
        do {
            report = try ReportBuilder(configuration: configuration, embedder: embedder, classifier: classifier).build(accumulator)
        } catch {
            throw CLIError("cannot build the report: \(error)")
        }
        if json {
            do {
                Terminal.output(String(decoding: try report.jsonData(), as: UTF8.self))
            } catch {
                throw CLIError("\(error)")
            }
        } else {
            FileHandle.standardOutput.write(Data(report.text(source: source).utf8))
        }
    }

    private func dates() throws -> (since: Date?, until: Date?) {
        (
            try since.map { try DateArgument.parse($0, flag: "--since") },
            try until.map { try DateArgument.parse($0, flag: "--until") }
        )
    }

    /// The classifier at `--model` (or `<state>/model.sbm`) when it loads with this encoder and
    /// was trained on the current `--intents`; otherwise nil, with a note saying why.
    private func loadClassifier(embedder: (any TextEmbedder)?) -> IntentClassifier? {
        let url = model.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: database.state).appendingPathComponent("model.sbm")
        guard FileManager.default.fileExists(atPath: url.path) else {
            let hint = model == nil ? "" : "; check --model"
            Terminal.note("note: no classifier at \(url.path)\(hint); suggestions skip the near-miss rule")
            return nil
        }
        let classifier: IntentClassifier
        do {
            classifier = try IntentClassifier.load(from: url, embedder: embedder)
        } catch {
            Terminal.note("note: classifier \(url.path) not used (\(error)); suggestions skip the near-miss rule")
            return nil
        }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: intents, isDirectory: &isDirectory), isDirectory.boolValue else {
            Terminal.note("note: no intents folder '\(intents)' to check \(url.lastPathComponent) against; using it as it is")
            return classifier
        }
        let definitions = try? Setup.loadIntents(intents)
        // Only the content matters here: a lexical-only model is fine for the report even when
        // an encoder is available.
        let reference = classifier.encoderIdentity == nil ? nil : embedder
        if let definitions, let reason = classifier.staleness(for: definitions, embedder: reference) {
            Terminal.note("note: classifier \(url.path) is stale (\(reason)); suggestions skip the near-miss rule")
            return nil
        }
        if definitions == nil {
            Terminal.note("note: intents in '\(intents)' do not load; using \(url.lastPathComponent) unchecked")
        }
        return classifier
    }
}
