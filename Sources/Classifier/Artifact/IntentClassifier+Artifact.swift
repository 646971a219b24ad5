import Encoder
import Foundation

/// Saving and loading the classifier as one versioned, checksummed file.
extension IntentClassifier {
    /// The artifact bytes (see `ClassifierArtifact` for the layout). Identical for identical
    /// training runs.
    public func serialized() -> Data {
        Data(artifact.encoded())
    }

    /// Writes the artifact atomically: to a temporary file next to `url`, then renamed over it,
    /// so a reader never sees half a model.
    public func write(to url: URL) throws(ClassifierError) {
        do {
            try serialized().write(to: url, options: .atomic)
        } catch {
            throw ClassifierError(.io, "cannot write the model to \(url.path): \(error.localizedDescription)")
        }
    }

    /// Reads a model written by `write(to:)`. Throws `.wrongMagic`, `.versionMismatch`,
    /// `.truncated` or `.corrupt` for a damaged or foreign file, and `.embedderMismatch` when the
    /// model was trained with an encoder and `embedder` is nil or a different model (a model
    /// trained without an encoder loads with any embedder and ignores it).
    public static func load(from url: URL, embedder: (any TextEmbedder)?) throws(ClassifierError) -> IntentClassifier {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: url))
        } catch {
            throw ClassifierError(.io, "cannot read the model \(url.path): \(error.localizedDescription)")
        }
        return try load(bytes: bytes, source: url.path, embedder: embedder)
    }

    /// Parses artifact bytes (see `load(from:embedder:)`); `source` names them in errors.
    public static func load(
        bytes: [UInt8], source: String, embedder: (any TextEmbedder)?
    ) throws(ClassifierError) -> IntentClassifier {
        let artifact = try ClassifierArtifact(decoding: bytes, source: source)
        if let tuned = artifact.tuned {
            guard let base = embedder as? MiniLMEncoder else {
                throw ClassifierError(
                    .embedderMismatch,
                    "\(source) runs a fine-tuned encoder on \(tuned.baseIdentity), but \(embedder == nil ? "no encoder is loaded" : "the loaded embedder cannot run tuned layers")"
                )
            }
            let encoder: MiniLMEncoder
            do {
                encoder = try base.applying(tuned)
            } catch {
                throw ClassifierError(.embedderMismatch, "\(source): \(error.message) (retrain the model with this encoder)")
            }
            return IntentClassifier(artifact: artifact, embedder: encoder)
        }
        if let trained = artifact.encoderIdentity {
            guard let embedder else {
                throw ClassifierError(
                    .embedderMismatch, "\(source) was trained with encoder \(trained), but no encoder is loaded")
            }
            guard embedder.identity == trained, embedder.dimension == artifact.fitted.model.denseDimension else {
                throw ClassifierError(
                    .embedderMismatch,
                    "\(source) was trained with encoder \(trained), but the loaded encoder is \(embedder.identity)")
            }
        }
        return IntentClassifier(artifact: artifact, embedder: embedder)
    }

    var artifact: ClassifierArtifact {
        ClassifierArtifact(
            intents: intents, contentHash: contentHash, encoderIdentity: encoderIdentity, threshold: threshold,
            clarifyMargin: clarification.margin, configuration: configuration, trainedEpochs: trainedEpochs,
            validationAccuracy: validationAccuracy, fitted: fitted, tuned: tunedLayers)
    }
}
