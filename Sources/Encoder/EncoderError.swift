/// Everything that can go wrong loading the encoder: missing or unreadable files, corrupt
/// safetensors, weights that do not fit the model, a bad vocabulary. One type for the module so
/// callers can catch it in one place; `description` says what failed and where.
public struct EncoderError: Error, CustomStringConvertible, Equatable {
    /// The kinds of failure, for callers (and tests) that need to tell them apart.
    public enum Code: String, Sendable, Equatable {
        /// A required file does not exist.
        case fileNotFound
        /// A file exists but cannot be opened, read or mapped.
        case unreadable
        /// A file ends before the data its header promises.
        case truncated
        /// A safetensors header (or a JSON configuration file) is malformed.
        case corruptHeader
        /// A tensor has a dtype the model cannot use.
        case wrongDType
        /// A tensor has a shape that does not match the model configuration.
        case wrongShape
        /// A tensor the model needs is absent.
        case missingTensor
        /// `config.json` describes a model this encoder does not implement.
        case unsupportedModel
        /// The vocabulary or `tokenizer.json` is empty or malformed.
        case invalidVocabulary
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
