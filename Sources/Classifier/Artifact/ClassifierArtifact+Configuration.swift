/// How the training configuration is stored in the artifact: every field in a fixed order, so
/// the file records exactly how the model was made and the featurizer can be rebuilt.
extension ClassifierArtifact {
    func encode(_ configuration: ClassifierConfiguration, into writer: inout ByteWriter) {
        writer.append(configuration.seed)
        writer.append(configuration.epochs)
        writer.append(configuration.patience)
        writer.append(configuration.learningRate)
        writer.append(configuration.l2)
        writer.append(configuration.dropout)
        writer.append(configuration.batchSize)
        writer.append(configuration.hashBuckets)
        writer.append(configuration.minimumNGramCount)
        writer.append(configuration.wordNGrams.lowerBound)
        writer.append(configuration.wordNGrams.upperBound)
        writer.append(configuration.charNGrams.lowerBound)
        writer.append(configuration.charNGrams.upperBound)
        writer.append(configuration.embeddingWeight)
        writer.append(configuration.validationFraction)
        writer.append(configuration.outOfScopeClass)
        writer.append(configuration.outOfScopeWeight)
        writer.append(configuration.inScopeRejection)
        writer.append(configuration.leaveOutGroups)
        writer.append(configuration.inScopeRejectionWithNegatives)
        writer.append(configuration.similarityInDecision)
        writer.append(configuration.fixedThreshold != nil)
        writer.append(configuration.fixedThreshold ?? 0)
    }

    static func decodeConfiguration(_ reader: inout ByteReader) throws(ClassifierError) -> ClassifierConfiguration {
        var configuration = ClassifierConfiguration()
        configuration.seed = try reader.uint64("seed")
        configuration.epochs = try reader.int("epochs")
        configuration.patience = try reader.int("patience")
        configuration.learningRate = try reader.double("learningRate")
        configuration.l2 = try reader.double("l2")
        configuration.dropout = try reader.double("dropout")
        configuration.batchSize = try reader.int("batchSize")
        configuration.hashBuckets = try reader.int("hashBuckets")
        configuration.minimumNGramCount = try reader.int("minimumNGramCount")
        configuration.wordNGrams = try orders(&reader, "wordNGrams")
        configuration.charNGrams = try orders(&reader, "charNGrams")
        configuration.embeddingWeight = try reader.double("embeddingWeight")
        configuration.validationFraction = try reader.double("validationFraction")
        configuration.outOfScopeClass = try reader.bool("outOfScopeClass")
        configuration.outOfScopeWeight = try reader.double("outOfScopeWeight")
        configuration.inScopeRejection = try reader.double("inScopeRejection")
        configuration.leaveOutGroups = try reader.int("leaveOutGroups")
        configuration.inScopeRejectionWithNegatives = try reader.double("inScopeRejectionWithNegatives")
        configuration.similarityInDecision = try reader.bool("similarityInDecision")
        let hasFixed = try reader.bool("fixedThreshold")
        let fixed = try reader.double("fixedThreshold")
        configuration.fixedThreshold = hasFixed ? fixed : nil
        guard configuration.hashBuckets >= 1, configuration.hashBuckets <= Int(UInt32.max) else {
            throw ClassifierError(.corrupt, "hashBuckets \(configuration.hashBuckets) is out of range")
        }
        return configuration
    }

    /// An n-gram order range; both ends within 1...32.
    private static func orders(_ reader: inout ByteReader, _ field: String) throws(ClassifierError) -> ClosedRange<Int> {
        let lower = try reader.int(field)
        let upper = try reader.int(field)
        guard lower >= 1, upper >= lower, upper <= 32 else {
            throw ClassifierError(.corrupt, "field `\(field)` has n-gram orders \(lower)...\(upper)")
        }
        return lower...upper
    }
}
