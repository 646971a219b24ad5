import Application
import ArgumentParser
import Classifier
import Content
import Encoder
import Foundation
import Logging
import Store

/// `--log-level`, shared by commands that log.
struct LoggingOptions: ParsableArguments {
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .info

    func makeLogger(_ label: String = "supportbot") -> Logger {
        let level = logLevel
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: label)
    }
}

extension Logger.Level: @retroactive ExpressibleByArgument {}
extension EncoderPrecision: ExpressibleByArgument {}

/// `--model-dir`, the sentence encoder's weights.
struct EncoderOptions: ParsableArguments {
    @Option(name: .customLong("encoder"), help: "Folder with the MiniLM encoder weights (fetched by scripts/fetch-encoder).")
    var encoderDirectory: String = AssistantSetup.defaultEncoderDirectory

    @Flag(help: "Use lexical features only, even when encoder weights are present.")
    var noEncoder = false

    @Option(
        help: """
            Number format of the encoder's matrix products: auto (bf16 where the CPU runs it natively, \
            else fp32), fp32 or bf16.
            """)
    var precision: EncoderPrecision = .auto

    /// The weights folder, or nil with `--no-encoder`.
    var directory: URL? { noEncoder ? nil : URL(fileURLWithPath: encoderDirectory) }

    /// The encoder, or nil (with a loud warning) when its weights are missing.
    func load(logger: Logger) throws -> (any TextEmbedder)? {
        guard let directory else { return nil }
        return try Setup.run { () throws(ApplicationError) in
            try AssistantFactory.loadEncoder(
                directory: directory, configuration: EncoderConfiguration(precision: precision), logger: logger)
        }
    }
}

/// Steps shared by several commands.
enum Setup {
    /// Runs an application step, turning its failure into the CLI's one-message error.
    static func run<T>(_ body: () throws(ApplicationError) -> T) throws(CLIError) -> T {
        do {
            return try body()
        } catch {
            throw CLIError(error.description)
        }
    }

    /// Loads `intents/`, turning every problem into one message listing them all, and prints
    /// the warnings (at most `shownWarnings`, then how many more) to standard error.
    static func loadIntents(_ path: String, shownWarnings: Int = 20) throws -> IntentSet {
        let set = try run { () throws(ApplicationError) in try AssistantFactory.loadIntents(URL(fileURLWithPath: path)) }
        for warning in set.warnings.prefix(shownWarnings) {
            FileHandle.standardError.write(Data("warning: \(warning)\n".utf8))
        }
        if set.warnings.count > shownWarnings {
            FileHandle.standardError.write(Data("warning: … and \(set.warnings.count - shownWarnings) more like these\n".utf8))
        }
        return set
    }

    /// Loads the model at `path` when it matches the intents and encoder; otherwise trains one
    /// (with progress) and saves it there.
    static func loadOrTrain(
        intents: IntentSet, embedder: (any TextEmbedder)?, modelPath: URL, seed: UInt64 = 42, logger: Logger
    ) throws -> IntentClassifier {
        try run { () throws(ApplicationError) in
            try AssistantFactory.loadOrTrain(
                intents: intents, embedder: embedder, modelPath: modelPath, seed: seed, observer: trainingObserver(), logger: logger
            )
        }
    }

    /// Trains with a progress bar (TTY) or periodic lines, then prints a one-line summary.
    static func train(
        intents: IntentSet, embedder: (any TextEmbedder)?, seed: UInt64, configuration: ClassifierConfiguration = .init()
    ) throws -> IntentClassifier {
        try run { () throws(ApplicationError) in
            try AssistantFactory.train(
                intents: intents, embedder: embedder, seed: seed, configuration: configuration, observer: trainingObserver())
        }
    }

    /// Fine-tunes, then trains (`train --fine-tune`), with progress on the terminal.
    static func trainFineTuned(
        intents: IntentSet, encoder: MiniLMEncoder, seed: UInt64, configuration: ClassifierConfiguration,
        fineTuning: FineTuneConfiguration, logger: Logger
    ) throws -> IntentClassifier {
        try run { () throws(ApplicationError) in
            try AssistantFactory.trainFineTuned(
                intents: intents, encoder: encoder, seed: seed, configuration: configuration, fineTuning: fineTuning,
                observer: trainingObserver(), logger: logger)
        }
    }

    /// Training progress on the terminal: a bar per phase, then the summary line.
    static func trainingObserver() -> AssistantFactory.Observer {
        let display = TrainingDisplay()
        let fineTuneDisplay = FineTuneDisplay()
        return AssistantFactory.Observer(
            trainingProgress: { display.show($0) }, trained: { Terminal.note($0) },
            fineTuneProgress: { fineTuneDisplay.show($0) })
    }

    /// Shows fine-tuning progress: a bar for caching the lower layers, one per epoch, and the
    /// held-out figures after each epoch.
    final class FineTuneDisplay: @unchecked Sendable {
        private var current: (FineTuneProgress.Phase, Int, Int)?
        private var reporter: ProgressReporter?
        private let lock = NSLock()

        func show(_ progress: FineTuneProgress) {
            lock.lock()
            defer { lock.unlock() }
            if let accuracy = progress.heldOutAccuracy, let loss = progress.heldOutLoss {
                Terminal.note(
                    String(
                        format: "fine-tuning epoch %d: held-out accuracy %.1f%%, loss %.3f", progress.epoch, accuracy * 100, loss))
                return
            }
            guard progress.phase != .validating else { return }
            if current == nil || current! != (progress.phase, progress.epoch, progress.total) {
                current = (progress.phase, progress.epoch, progress.total)
                let title =
                    progress.phase == .caching
                    ? "fine-tuning: running the frozen layers" : "fine-tuning epoch \(progress.epoch)/\(progress.epochs)"
                reporter = ProgressReporter(title: title, total: progress.total)
            }
            reporter?.update(progress.completed, status: progress.trainingLoss.map { String(format: "loss %.3f", $0) } ?? "")
        }
    }

    /// Shows training progress, one bar per phase (validation run, then the final run).
    final class TrainingDisplay: @unchecked Sendable {
        private var phase: TrainingProgress.Phase?
        private var reporter: ProgressReporter?
        private let lock = NSLock()

        func show(_ progress: TrainingProgress) {
            lock.lock()
            defer { lock.unlock() }
            if phase != progress.phase {
                phase = progress.phase
                let title = progress.phase == .validation ? "training (held-out validation)" : "training (final, all data)"
                reporter = ProgressReporter(title: title, total: progress.epochs)
            }
            var status = String(format: "loss %.3f", progress.loss)
            if let accuracy = progress.validationAccuracy { status += String(format: "  val acc %.1f%%", accuracy * 100) }
            reporter?.update(progress.epoch, status: status)
        }
    }

    /// Reads standard input line by line (for the pipe-style commands).
    static func standardInputLines() -> AnyIterator<String> {
        AnyIterator { readLine(strippingNewline: true) }
    }
}

/// `--intents`, `--faqs`, `--model` and the encoder flags of the commands that replay messages
/// against a real assistant (`test-conversations`, `eval-answers`).
struct AssistantOptions: ParsableArguments {
    @Option(help: "Folder of intent definitions (YAML).")
    var intents = AssistantSetup().intentsDirectory.relativePath

    @Option(help: "Folder of FAQ files.")
    var faqs = AssistantSetup().faqsDirectory.relativePath

    @Option(help: "Classifier model; trained and saved here when missing or stale.")
    var model = AssistantSetup().modelPath.relativePath

    @OptionGroup var encoder: EncoderOptions

    /// The assistant over these folders (FAQ files must all load), training the model if needed.
    func makeAssistant(logger: Logger) async throws -> AssembledAssistant {
        let setup = AssistantSetup(
            intentsDirectory: URL(fileURLWithPath: intents), faqsDirectory: URL(fileURLWithPath: faqs),
            modelPath: URL(fileURLWithPath: model), encoderDirectory: encoder.directory, requireCleanFAQs: true,
            encoderPrecision: encoder.precision)
        do {
            return try await AssistantFactory.make(setup, observer: Setup.trainingObserver(), logger: logger)
        } catch {
            throw CLIError(error.description)
        }
    }
}
