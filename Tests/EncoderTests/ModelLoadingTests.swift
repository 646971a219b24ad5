import Encoder
import Foundation
import Logging
import TestSupport
import Testing

/// Loading the real weights, and refusing damaged copies of them.
@Suite(.enabled(if: ModelFixture.weightsOrRequired, "needs scripts/fetch-encoder"))
struct ModelLoadingTests {
    enum Damage: String, CaseIterable {
        case truncated, badHeaderJSON, wrongDType, wrongShape, missingTensor
    }

    /// A model directory in a temporary folder whose weights carry one kind of damage.
    static func damagedCopy(_ damage: Damage) throws -> TemporaryDirectory {
        try ModelFixture.requireWeights()
        let directory = try TemporaryDirectory()
        for name in ["config.json", "tokenizer.json"] {
            try FileManager.default.copyItem(at: ModelFixture.modelDirectory.appendingPathComponent(name), to: directory.file(name))
        }
        let original = try Data(
            contentsOf: ModelFixture.modelDirectory.appendingPathComponent("model.safetensors"), options: .alwaysMapped)
        let parts = try SafeTensorsBytes.split(original)
        var header = parts.header
        let victim = "encoder.layer.3.attention.self.key.weight"
        var bytes: Data
        switch damage {
        case .truncated:
            bytes = original.prefix(original.count / 2)
        case .badHeaderJSON:
            bytes = original
            let garbage = Data("{\"not\": json".utf8)
            bytes.replaceSubrange(8..<(8 + garbage.count), with: garbage)
        case .wrongDType, .wrongShape, .missingTensor:
            var entry = header.removeValue(forKey: victim) as? [String: Any] ?? [:]
            switch damage {
            case .wrongDType: entry["dtype"] = "I32"  // same size, so only the model's check can catch it
            case .wrongShape: entry["shape"] = [192, 768]  // same element count
            default: break
            }
            // A missing tensor keeps its bytes under another name, so the file itself stays valid.
            header[damage == .missingTensor ? "renamed.key.weight" : victim] = entry
            bytes = SafeTensorsBytes.file(header: try SafeTensorsBytes.header(header), data: parts.data)
        }
        try bytes.write(to: directory.file("model.safetensors"))
        return directory
    }

    static let expected: [Damage: EncoderError.Code] = [
        .truncated: .truncated, .badHeaderJSON: .corruptHeader, .wrongDType: .wrongDType,
        .wrongShape: .wrongShape, .missingTensor: .missingTensor,
    ]

    @Test(arguments: Damage.allCases)
    func rejectsDamagedWeights(_ damage: Damage) throws {
        // Given a copy of the real model with one kind of damage
        let directory = try Self.damagedCopy(damage)
        // When it is loaded, then loading fails with an error naming the problem
        let error = #expect(throws: EncoderError.self) { try MiniLMEncoder(directory: directory.url) }
        #expect(error?.code == Self.expected[damage], "\(damage): \(String(describing: error))")
        // And the locator falls back to nil instead of failing start-up
        #expect(EncoderLocator.load(directory: directory.url, logger: Logger(label: "test")) == nil)
    }

    @Test func locatorLoadsTheRealModel() throws {
        try ModelFixture.requireWeights()
        let embedder = EncoderLocator.load(directory: ModelFixture.modelDirectory, logger: Logger(label: "test"))
        #expect(embedder?.dimension == 384)
        #expect(embedder?.identity.hasPrefix("all-MiniLM-L6-v2@") == true)
    }
}

struct EncoderLocatorTests {
    @Test func missingWeightsGiveNil() throws {
        let directory = try TemporaryDirectory()
        #expect(EncoderLocator.load(directory: directory.file("minilm"), logger: Logger(label: "test")) == nil)
        #expect(EncoderLocator.defaultDirectory(root: directory.url).path.hasSuffix("models/minilm"))
    }
}
