/// Everything that can go wrong loading the encoder: missing or unreadable files, corrupt
/// safetensors, weights that do not fit the model, a bad vocabulary. One type for the module so
/// callers can catch it in one place; `description` says what failed and where.
public struct EncoderError: Error, CustomStringConvertible, Equatable {
    /// The kinds of failure, for callers (and tests) that need to tell them apart. A closed set of
    /// documented values behind static members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: String, Sendable, Hashable {
            case fileNotFound
            case unreadable
            case truncated
            case corruptHeader
            case wrongDType
            case wrongShape
            case missingTensor
            case unsupportedModel
            case invalidVocabulary
            case tuningMismatch
            case invalidTraining
            case cancelled
            case precisionUnavailable
        }

        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// A required file does not exist.
        public static let fileNotFound = Code(.fileNotFound)
        /// A file exists but cannot be opened, read or mapped.
        public static let unreadable = Code(.unreadable)
        /// A file ends before the data its header promises.
        public static let truncated = Code(.truncated)
        /// A safetensors header (or a JSON configuration file) is malformed.
        public static let corruptHeader = Code(.corruptHeader)
        /// A tensor has a dtype the model cannot use.
        public static let wrongDType = Code(.wrongDType)
        /// A tensor has a shape that does not match the model configuration.
        public static let wrongShape = Code(.wrongShape)
        /// A tensor the model needs is absent.
        public static let missingTensor = Code(.missingTensor)
        /// `config.json` describes a model this encoder does not implement.
        public static let unsupportedModel = Code(.unsupportedModel)
        /// The vocabulary or `tokenizer.json` is empty or malformed.
        public static let invalidVocabulary = Code(.invalidVocabulary)
        /// Tuned layers do not fit the encoder they are applied to (another base model, or the
        /// wrong number or size of layers).
        public static let tuningMismatch = Code(.tuningMismatch)
        /// Fine-tuning was asked to learn from unusable data (no texts, a label out of range).
        public static let invalidTraining = Code(.invalidTraining)
        /// Fine-tuning stopped because its task was cancelled.
        public static let cancelled = Code(.cancelled)
        /// The requested `--precision` cannot run on this CPU (or oneDNN refused it).
        public static let precisionUnavailable = Code(.precisionUnavailable)

        /// The code as logs and messages spell it.
        public var rawValue: String { kind.rawValue }
        public var description: String { kind.rawValue }
    }

    /// What kind of failure this is.
    public let code: Code
    /// Human-readable detail naming the file, tensor or field involved.
    public let message: String

    /// Creates an error; the message should name the file or tensor involved.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "encoder: \(code.rawValue): \(message)" }
}
