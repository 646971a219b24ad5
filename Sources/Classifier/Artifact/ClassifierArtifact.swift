import Crypto
import Encoder

/// The classifier's file format: everything a trained classifier is, in one versioned binary
/// file. Layout: 8 magic bytes `SBINTENT`, a little-endian `UInt32` format version, a `UInt64`
/// payload length, the payload, and the SHA-256 of the payload, so truncation and corruption are
/// caught before any field is trusted. Version 5 added the fine-tuned encoder layers (after
/// the exemplars: a flag, the base encoder's identity, layer count, widths and the weights).
struct ClassifierArtifact: Sendable {
    static let magic: [UInt8] = Array("SBINTENT".utf8)
    static let formatVersion: UInt32 = 5
    private static let headerSize = 8 + 4 + 8
    private static let checksumSize = 32

    var intents: [String]
    var contentHash: String
    var encoderIdentity: String?
    var threshold: Double
    var clarifyMargin: Double
    var configuration: ClassifierConfiguration
    var trainedEpochs: Int
    var validationAccuracy: Double?
    var fitted: FittedModel
    /// The encoder's fine-tuned top layers, when the model was trained with `--fine-tune`.
    var tuned: TunedLayers?

    /// The complete file contents.
    func encoded() -> [UInt8] {
        var payload = ByteWriter()
        payload.append(intents)
        payload.append(contentHash)
        payload.append(encoderIdentity)
        payload.append(threshold)
        payload.append(clarifyMargin)
        encode(configuration, into: &payload)
        payload.append(trainedEpochs)
        payload.append(validationAccuracy != nil)
        payload.append(validationAccuracy ?? 0)
        let featurizer = fitted.featurizer
        payload.append(featurizer.wordBuckets)
        payload.append(featurizer.charBuckets)
        payload.append(featurizer.idf)
        let model = fitted.model
        payload.append(fitted.inScopeClasses)
        payload.append(model.classes)
        payload.append(model.denseDimension)
        payload.append(model.sparseFeatures)
        payload.append(fitted.embeddingScale)
        payload.append(model.dense)
        payload.append(model.sparse)
        payload.append(model.bias)
        payload.append(fitted.exemplars?.dimension ?? 0)
        payload.append(fitted.exemplars?.vectors ?? [])
        payload.append(tuned != nil)
        payload.append(tuned?.baseIdentity ?? "")
        payload.append(tuned?.layerCount ?? 0)
        payload.append(tuned?.hiddenSize ?? 0)
        payload.append(tuned?.intermediateSize ?? 0)
        payload.append(tuned?.values ?? [])

        var file = ByteWriter()
        file.append(raw: Self.magic)
        file.append(Self.formatVersion)
        file.append(UInt64(payload.bytes.count))
        file.append(raw: payload.bytes)
        file.append(raw: Array(SHA256.hash(data: payload.bytes)))
        return file.bytes
    }

    /// Parses and checks a file's contents; `source` names the file in errors.
    init(decoding bytes: [UInt8], source: String) throws(ClassifierError) {
        let payloadRange = try Self.checkEnvelope(bytes, source: source)
        var reader = ByteReader(bytes, from: payloadRange.lowerBound, to: payloadRange.upperBound)
        do throws(ClassifierError) {
            intents = try reader.strings("intents")
            contentHash = try reader.string("contentHash")
            encoderIdentity = try reader.optionalString("encoderIdentity")
            threshold = try reader.double("threshold")
            clarifyMargin = try reader.double("clarifyMargin")
            configuration = try Self.decodeConfiguration(&reader)
            trainedEpochs = try reader.int("trainedEpochs")
            let hasAccuracy = try reader.bool("validationAccuracy")
            let accuracy = try reader.double("validationAccuracy")
            validationAccuracy = hasAccuracy ? accuracy : nil
            let hasher = NGramHasher(
                buckets: UInt32(clamping: configuration.hashBuckets),
                wordOrders: configuration.wordNGrams, charOrders: configuration.charNGrams)
            let featurizer = LexicalFeaturizer(
                hasher: hasher, wordBuckets: try reader.uint32s("wordBuckets"),
                charBuckets: try reader.uint32s("charBuckets"), idf: try reader.floats("idf"))
            let inScopeClasses = try reader.int("inScopeClasses")
            let classes = try reader.int("classes")
            let denseDimension = try reader.int("denseDimension")
            let sparseFeatures = try reader.int("sparseFeatures")
            let embeddingScale = Float(bitPattern: try reader.uint32("embeddingScale"))
            let model = SoftmaxModel(
                classes: classes, denseDimension: denseDimension, sparseFeatures: sparseFeatures,
                dense: try reader.floats("dense"), sparse: try reader.floats("sparse"), bias: try reader.floats("bias"))
            let exemplarDimension = try reader.int("exemplarDimension")
            let exemplarVectors = try reader.floats("exemplars")
            guard exemplarDimension == 0 ? exemplarVectors.isEmpty : exemplarVectors.count % exemplarDimension == 0 else {
                throw ClassifierError(.corrupt, "\(exemplarVectors.count) exemplar values do not fill rows of \(exemplarDimension)")
            }
            let hasTuned = try reader.bool("tuned")
            let tunedBase = try reader.string("tunedBase")
            let tunedLayers = try reader.int("tunedLayers")
            let tunedHidden = try reader.int("tunedHidden")
            let tunedIntermediate = try reader.int("tunedIntermediate")
            let tunedValues = try reader.floats("tunedWeights")
            if hasTuned {
                do {
                    tuned = try TunedLayers(
                        baseIdentity: tunedBase, layerCount: tunedLayers, hiddenSize: tunedHidden,
                        intermediateSize: tunedIntermediate, values: tunedValues)
                } catch {
                    throw ClassifierError(.corrupt, "the fine-tuned encoder layers are damaged: \(error.message)")
                }
            } else {
                tuned = nil
            }
            guard reader.remaining == 0 else {
                throw ClassifierError(.corrupt, "\(reader.remaining) unexpected bytes after the weights")
            }
            fitted = FittedModel(
                featurizer: featurizer, model: model, embeddingScale: embeddingScale, inScopeClasses: inScopeClasses,
                exemplars: exemplarDimension > 0 ? Exemplars(dimension: exemplarDimension, vectors: exemplarVectors) : nil)
            try checkShapes()
        } catch {
            throw ClassifierError(error.code, "\(source): \(error.message)")
        }
    }

    init(
        intents: [String], contentHash: String, encoderIdentity: String?, threshold: Double, clarifyMargin: Double,
        configuration: ClassifierConfiguration, trainedEpochs: Int, validationAccuracy: Double?, fitted: FittedModel,
        tuned: TunedLayers?
    ) {
        self.tuned = tuned
        self.intents = intents
        self.contentHash = contentHash
        self.encoderIdentity = encoderIdentity
        self.threshold = threshold
        self.clarifyMargin = clarifyMargin
        self.configuration = configuration
        self.trainedEpochs = trainedEpochs
        self.validationAccuracy = validationAccuracy
        self.fitted = fitted
    }

    /// Checks magic, version, length and checksum; returns the payload's byte range.
    private static func checkEnvelope(_ bytes: [UInt8], source: String) throws(ClassifierError) -> Range<Int> {
        let prefix = Array(bytes.prefix(magic.count))
        guard prefix == Array(magic.prefix(prefix.count)) else {
            throw ClassifierError(.wrongMagic, "\(source) is not a SupportBot classifier model (it does not start with `SBINTENT`)")
        }
        guard bytes.count >= headerSize else {
            throw ClassifierError(
                .truncated, "\(source) is truncated: \(bytes.count) bytes, shorter than the \(headerSize)-byte header")
        }
        var reader = ByteReader(bytes, from: magic.count)
        let version = try reader.uint32("formatVersion")
        guard version == formatVersion else {
            throw ClassifierError(
                .versionMismatch,
                "\(source) has format version \(version); this build reads version \(formatVersion) (retrain the model)")
        }
        let length = try reader.uint64("payloadLength")
        let expected = UInt64(headerSize) + UInt64(checksumSize) &+ length
        guard length < UInt64(Int.max / 2), UInt64(bytes.count) >= expected else {
            throw ClassifierError(
                .truncated, "\(source) is truncated: \(bytes.count) bytes, but its header promises \(expected)")
        }
        guard UInt64(bytes.count) == expected else {
            throw ClassifierError(.corrupt, "\(source) has \(UInt64(bytes.count) - expected) unexpected bytes after the checksum")
        }
        let payload = headerSize..<(headerSize + Int(length))
        let stored = Array(bytes[payload.upperBound...])
        guard Array(SHA256.hash(data: bytes[payload])) == stored else {
            throw ClassifierError(.corrupt, "\(source) is corrupt: the SHA-256 checksum of its contents does not match")
        }
        return payload
    }

    /// Every array must have the size the dimensions imply before the model may run.
    private func checkShapes() throws(ClassifierError) {
        let model = fitted.model
        let featurizer = fitted.featurizer
        let sized =
            model.classes > 0 && model.denseDimension >= 0 && model.sparseFeatures >= 0
            && fitted.inScopeClasses == intents.count
            && (model.classes == intents.count || model.classes == intents.count + 1)
            && featurizer.idf.count == featurizer.wordBuckets.count + featurizer.charBuckets.count
            && featurizer.idf.count == model.sparseFeatures
            && model.dense.count == model.denseDimension * model.classes
            && model.sparse.count == model.sparseFeatures * model.classes
            && model.bias.count == model.classes
            && (encoderIdentity == nil) == (model.denseDimension == 0)
            && (tuned == nil || tuned?.identity == encoderIdentity)
        guard sized else {
            throw ClassifierError(.corrupt, "the weight arrays do not match the model's dimensions")
        }
    }
}
