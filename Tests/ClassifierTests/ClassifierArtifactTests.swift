import Classifier
import Content
import Foundation
import TestSupport
import Testing

@Suite("Intent classifier: model artifact")
struct ClassifierArtifactTests {
    private func trained(seed: UInt64 = 42, in folder: TemporaryDirectory) throws -> (IntentSet, IntentClassifier) {
        let intents = try ClassifierFixture.load(into: folder)
        var configuration = ClassifierFixture.configuration
        configuration.seed = seed
        return (intents, try IntentClassifier.train(intents, embedder: nil, configuration: configuration))
    }

    @Test("the same seed gives byte-identical models; another seed does not")
    func determinism() throws {
        let folder = try TemporaryDirectory()
        let first = try trained(in: folder).1
        let second = try trained(in: folder).1
        let other = try trained(seed: 7, in: folder).1

        #expect(first.serialized() == second.serialized())
        #expect(first.serialized() != other.serialized())
    }

    @Test("a written model loads back with identical bytes and predictions")
    func roundTrip() throws {
        let folder = try TemporaryDirectory()
        let (intents, classifier) = try trained(in: folder)
        let url = folder.file("state/model.sbm")
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)

        try classifier.write(to: url)
        let loaded = try IntentClassifier.load(from: url, embedder: nil)

        #expect(loaded.serialized() == classifier.serialized())
        #expect(loaded.intents == classifier.intents)
        #expect(loaded.threshold == classifier.threshold)
        #expect(loaded.contentHash == intents.contentHash)
        #expect(loaded.configuration == classifier.configuration)
        for text in ["I lost my password", "where's my stuff", "tell me a joke", "opening times on monday"] {
            #expect(loaded.predict(text) == classifier.predict(text))
        }
        #expect(loaded.staleness(for: intents, embedder: nil) == nil)
    }

    @Test("a model trained on other content is stale")
    func staleContent() throws {
        let folder = try TemporaryDirectory()
        let (_, classifier) = try trained(in: folder)

        // When an example is added to the intents folder
        try folder.write(
            "intents/support.yml",
            ClassifierFixture.support.replacingOccurrences(
                of: "    - store hours", with: "    - store hours\n    - when does the store open"))
        let changed = try IntentLoader(directory: folder.file("intents")).load()

        // Then the model reports that the intents changed
        let reason = try #require(classifier.staleness(for: changed, embedder: nil))
        #expect(reason.contains("intents changed"))
    }

    @Test("a truncated model is rejected", arguments: [0.0, 0.5, 0.999])
    func truncated(keep fraction: Double) throws {
        let folder = try TemporaryDirectory()
        let bytes = [UInt8](try trained(in: folder).1.serialized())
        let cut = Array(bytes.prefix(max(Int(Double(bytes.count) * fraction), 10)))

        let error = try #require(throws: ClassifierError.self) {
            try IntentClassifier.load(bytes: cut, source: "model.sbm", embedder: nil)
        }
        #expect(error.code == .truncated)
        #expect(error.description.contains("model.sbm"))
        #expect(error.description.contains("truncated"))
    }

    @Test("a corrupted byte anywhere in the payload is caught by the checksum", arguments: [0.1, 0.5, 0.9])
    func corrupted(at position: Double) throws {
        let folder = try TemporaryDirectory()
        var bytes = [UInt8](try trained(in: folder).1.serialized())
        let index = 20 + Int(Double(bytes.count - 52) * position)
        bytes[index] ^= 0x5A

        let error = try #require(throws: ClassifierError.self) {
            try IntentClassifier.load(bytes: bytes, source: "model.sbm", embedder: nil)
        }
        #expect(error.code == .corrupt)
        #expect(error.description.contains("checksum"))
    }

    @Test("extra bytes after the checksum are rejected")
    func trailingBytes() throws {
        let folder = try TemporaryDirectory()
        let bytes = [UInt8](try trained(in: folder).1.serialized()) + [0]
        let error = try #require(throws: ClassifierError.self) {
            try IntentClassifier.load(bytes: bytes, source: "model.sbm", embedder: nil)
        }
        #expect(error.code == .corrupt)
    }

    @Test("a file that is not a model is rejected by its magic bytes")
    func wrongMagic() throws {
        let folder = try TemporaryDirectory()
        let url = try folder.write("intents.yml", ClassifierFixture.support)
        let error = try #require(throws: ClassifierError.self) {
            try IntentClassifier.load(from: url, embedder: nil)
        }
        #expect(error.code == .wrongMagic)
        #expect(error.description.contains(url.path))
    }

    @Test("a model of another format version is rejected with that version named")
    func versionMismatch() throws {
        let folder = try TemporaryDirectory()
        var bytes = [UInt8](try trained(in: folder).1.serialized())
        bytes[8] = 99

        let error = try #require(throws: ClassifierError.self) {
            try IntentClassifier.load(bytes: bytes, source: "model.sbm", embedder: nil)
        }
        #expect(error.code == .versionMismatch)
        #expect(error.description.contains("99"))
    }

    @Test("a missing file is an I/O error naming the path")
    func missingFile() throws {
        let folder = try TemporaryDirectory()
        let url = folder.file("nowhere/model.sbm")
        let error = try #require(throws: ClassifierError.self) {
            try IntentClassifier.load(from: url, embedder: nil)
        }
        #expect(error.code == .io)
        #expect(error.description.contains(url.path))
    }

    @Test("writing replaces an existing model atomically")
    func overwrite() throws {
        let folder = try TemporaryDirectory()
        let url = folder.file("model.sbm")
        let first = try trained(in: folder).1
        let second = try trained(seed: 9, in: folder).1

        try first.write(to: url)
        try second.write(to: url)

        #expect(try Data(contentsOf: url) == second.serialized())
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.url.path)
            .filter { $0 != "model.sbm" && $0 != "intents" }
        #expect(leftovers.isEmpty)
    }
}
