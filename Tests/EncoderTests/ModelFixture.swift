import Foundation
import TestSupport
import Testing

/// Locates the real weights (`models/minilm`, from `scripts/fetch-encoder`) and the reference
/// files (`models/reference`, from `scripts/encoder-reference`) relative to this source file.
/// Tests that need them are skipped when they are missing, unless `SUPPORTBOT_REQUIRE_MODEL=1`,
/// in which case they fail and say which script to run.
enum ModelFixture {
    static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .resolvingSymlinksInPath()
        .deletingLastPathComponent()  // EncoderTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static let modelDirectory = repositoryRoot.appendingPathComponent("models/minilm")
    static let referenceDirectory = repositoryRoot.appendingPathComponent("models/reference")

    static var required: Bool {
        ProcessInfo.processInfo.environment["SUPPORTBOT_REQUIRE_MODEL"] == "1"
    }

    static var hasWeights: Bool {
        ["model.safetensors", "tokenizer.json", "vocab.txt", "config.json"].allSatisfy {
            FileManager.default.fileExists(atPath: modelDirectory.appendingPathComponent($0).path)
        }
    }

    static var hasReferences: Bool {
        ["tokenizer.jsonl", "embeddings.jsonl"].allSatisfy {
            FileManager.default.fileExists(atPath: referenceDirectory.appendingPathComponent($0).path)
        }
    }

    /// Run a model test when the files exist, or when they are required (then it fails loudly).
    static var weightsOrRequired: Bool { hasWeights || required }
    static var referencesOrRequired: Bool { (hasWeights && hasReferences) || required }

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    static func requireWeights() throws {
        guard hasWeights else {
            throw Missing(description: "encoder weights missing in \(modelDirectory.path): run scripts/fetch-encoder")
        }
    }

    static func requireReferences() throws {
        try requireWeights()
        guard hasReferences else {
            throw Missing(description: "reference files missing in \(referenceDirectory.path): run scripts/encoder-reference")
        }
    }

    /// Decodes one JSON object per line.
    static func jsonLines<T: Decodable>(_ name: String, as type: T.Type) throws -> [T] {
        let data = try Data(contentsOf: referenceDirectory.appendingPathComponent(name))
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).map { try decoder.decode(T.self, from: Data($0)) }
    }
}
