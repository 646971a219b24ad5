import Foundation
import Logging

/// Finds and loads the encoder at start-up. The chatbot must run without weights (features fall
/// back to lexical ones), so a missing or broken model is logged loudly and reported as `nil`
/// instead of stopping the server.
public enum EncoderLocator {
    /// Where `scripts/fetch-encoder` puts the weights: `models/minilm` under `root` (the
    /// repository or installation directory).
    public static func defaultDirectory(root: URL) -> URL {
        root.appendingPathComponent("models", isDirectory: true).appendingPathComponent("minilm", isDirectory: true)
    }

    /// The encoder in `directory`, or nil (after a warning or error log saying why and what to
    /// do) when the files are missing or do not load.
    public static func load(
        directory: URL, configuration: EncoderConfiguration = .init(), logger: Logger
    ) -> (any TextEmbedder)? {
        let missing = MiniLMEncoder.requiredFiles.filter {
            !FileManager.default.fileExists(atPath: directory.appendingPathComponent($0).path)
        }
        guard missing.isEmpty else {
            logger.warning(
                "encoder.missing",
                metadata: [
                    "hint": "sentence encoder weights not found; run scripts/fetch-encoder. Falling back to lexical features only",
                    "encoder.directory": "\(directory.path)", "encoder.missing_files": "\(missing.joined(separator: ","))",
                ]
            )
            return nil
        }
        do {
            return try MiniLMEncoder(directory: directory, configuration: configuration, logger: logger)
        } catch {
            logger.error(
                "encoder.unusable",
                metadata: [
                    "hint": "sentence encoder failed to load; re-run scripts/fetch-encoder. Falling back to lexical features only",
                    "encoder.directory": "\(directory.path)", "encoder.error": "\(error)",
                ]
            )
            return nil
        }
    }
}
