/// Everything that can go wrong training, saving or loading an intent classifier. One type for
/// the module so callers catch it in one place; `code` tells failures apart and `description`
/// says what failed and where (file path, offset, field).
public struct ClassifierError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure, stable for callers and tests.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Base: String, Sendable, Hashable {
            case noIntents, tooFewExamples, invalidConfiguration, embedderMismatch, wrongMagic, versionMismatch
            case truncated, corrupt, io, cancelled
        }
        fileprivate let base: Base
        fileprivate init(_ base: Base) { self.base = base }

        /// The intent set has no in-scope intents (or fewer than two), so there is nothing to learn.
        public static let noIntents = Code(.noIntents)
        /// An intent has no examples left to train on.
        public static let tooFewExamples = Code(.tooFewExamples)
        /// A `ClassifierConfiguration` field is outside its allowed range.
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The model needs an embedder (or a different one) than the one supplied.
        public static let embedderMismatch = Code(.embedderMismatch)
        /// The file does not start with the classifier artifact's magic bytes.
        public static let wrongMagic = Code(.wrongMagic)
        /// The artifact was written by a format version this build cannot read.
        public static let versionMismatch = Code(.versionMismatch)
        /// Training stopped because its task was cancelled (e.g. newer intents arrived).
        public static let cancelled = Code(.cancelled)
        /// The artifact ends before the data its header promises.
        public static let truncated = Code(.truncated)
        /// The artifact's checksum or structure is wrong.
        public static let corrupt = Code(.corrupt)
        /// Reading or writing the artifact file failed.
        public static let io = Code(.io)

        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// Human-readable detail naming the file, field or intent involved.
    public let message: String

    /// Creates an error; the message should name the file, field or intent involved.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "classifier: \(code): \(message)" }
}
