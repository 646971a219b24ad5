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

/// `--model-dir`, the sentence encoder's weights.
struct EncoderOptions: ParsableArguments {
    @Option(name: .customLong("encoder"), help: "Folder with the MiniLM encoder weights (fetched by scripts/fetch-encoder).")
    var encoderDirectory: String = "models/minilm"

    @Flag(help: "Use lexical features only, even when encoder weights are present.")
    var noEncoder = false

    /// The encoder, or nil (with a loud warning) when its weights are missing.
    func load(logger: Logger) throws -> (any TextEmbedder)? {
        guard !noEncoder else { return nil }
        return try Setup.loadEncoder(directory: URL(fileURLWithPath: encoderDirectory), logger: logger)
    }
}

/// Steps shared by several commands.
enum Setup {
    /// Loads `intents/`, turning every problem into one message listing them all.
    static func loadIntents(_ path: String) throws -> IntentSet {
        let directory = URL(fileURLWithPath: path)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CLIError("intents folder '\(path)' does not exist; pass --intents DIR")
        }
        do {
            return try IntentLoader(directory: directory, displayName: directory.lastPathComponent).load()
        } catch {
            throw CLIError("cannot load intents; fix these and retry:\n\(error)")
        }
    }

    static func loadEncoder(directory: URL, logger: Logger) throws -> (any TextEmbedder)? {
        guard FileManager.default.fileExists(atPath: directory.appendingPathComponent("model.safetensors").path) else {
            logger.warning(
                "encoder weights missing: running on lexical features only; run scripts/fetch-encoder (or make run) for full accuracy",
                metadata: ["encoder.directory": "\(directory.path)"]
            )
            return nil
        }
        do {
            return try MiniLMEncoder(directory: directory)
        } catch {
            throw CLIError("cannot load the encoder from \(directory.path): \(error). Delete the folder and run scripts/fetch-encoder.")
        }
    }

    /// Loads the model at `path` when it matches the intents and encoder; otherwise trains one
    /// (with progress) and saves it there.
    static func loadOrTrain(
        intents: IntentSet, embedder: (any TextEmbedder)?, modelPath: URL, seed: UInt64 = 42, logger: Logger
    ) throws -> IntentClassifier {
        if FileManager.default.fileExists(atPath: modelPath.path) {
            do {
                let model = try IntentClassifier.load(from: modelPath, embedder: embedder)
                if let reason = model.staleness(for: intents, embedder: embedder) {
                    logger.notice("model is stale; retraining", metadata: ["reason": "\(reason)"])
                } else {
                    logger.info("model loaded", metadata: ["model.path": "\(modelPath.path)", "intents": "\(model.intents.count)"])
                    return model
                }
            } catch {
                logger.warning("model unreadable; retraining", metadata: ["error": "\(error)"])
            }
        }
        let model = try train(intents: intents, embedder: embedder, seed: seed)
        try FileManager.default.createDirectory(at: modelPath.deletingLastPathComponent(), withIntermediateDirectories: true)
        do {
            try model.write(to: modelPath)
        } catch {
            throw CLIError("cannot save the model to \(modelPath.path): \(error)")
        }
        return model
    }

    /// Trains with a progress bar (TTY) or periodic lines, then prints a one-line summary.
    static func train(intents: IntentSet, embedder: (any TextEmbedder)?, seed: UInt64) throws -> IntentClassifier {
        var configuration = ClassifierConfiguration()
        configuration.seed = seed
        let display = TrainingDisplay()
        let started = Date()
        let model: IntentClassifier
        do {
            model = try IntentClassifier.train(intents, embedder: embedder, configuration: configuration) { progress in
                display.show(progress)
            }
        } catch {
            throw CLIError("training failed: \(error)")
        }
        Terminal.note(String(
            format: "trained %d intents (%@) in %.1f s; out-of-scope threshold %.3f, clarification margin %.3f",
            model.intents.count, embedder == nil ? "lexical features" : "encoder + lexical features",
            Date().timeIntervalSince(started), model.threshold, model.clarification.margin
        ))
        return model
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

extension Setup {
    /// Opens the conversation store of a state folder (FULL durability unless relaxed).
    static func openStore(state: String, relaxedDurability: Bool = false, logger: Logger) throws -> SQLiteStore {
        var configuration = StoreConfiguration()
        if relaxedDurability { configuration.synchronous = .normal }
        do {
            return try SQLiteStore.open(directory: URL(fileURLWithPath: state), configuration: configuration, logger: logger)
        } catch {
            throw CLIError("cannot open the conversation store in '\(state)': \(error)")
        }
    }
}

extension Setup {
    /// Opens the store of a state folder that must already hold a database (export, purge,
    /// token list): a mistyped --state is an error, not a new empty database.
    static func openExistingStore(state: String, logger: Logger) throws -> SQLiteStore {
        let path = URL(fileURLWithPath: state).appendingPathComponent(SQLiteStore.fileName).path
        guard FileManager.default.fileExists(atPath: path) else {
            throw CLIError("no conversation store at \(path); pass --state with the folder 'supportbot serve' uses")
        }
        return try openStore(state: state, logger: logger)
    }
}
