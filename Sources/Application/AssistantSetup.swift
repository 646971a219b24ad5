import Classifier
import Encoder
import Foundation
import Retrieval

/// Where an assistant's parts come from: the content folders, the trained model and the
/// encoder weights. Defaults are the layout `make run` uses.
public struct AssistantSetup: Sendable {
    /// Folder of intent definitions. Default `intents`.
    public var intentsDirectory: URL
    /// Folder of FAQ files. Default `faqs`.
    public var faqsDirectory: URL
    /// The classifier artifact: loaded when it matches the intents and encoder, otherwise
    /// trained and saved here. Default `state/model.sbm`.
    public var modelPath: URL
    /// Folder with the MiniLM weights; nil runs on lexical features only. Default `models/minilm`.
    public var encoderDirectory: URL?
    /// Seed for training when the model must be (re)trained. Default 42.
    public var seed: UInt64
    /// Retrieval settings. Default `RetrievalConfiguration()`.
    public var retrieval: RetrievalConfiguration
    /// Whether FAQ files that fail to parse stop the assembly (tests and evaluations) or are
    /// skipped with a warning (serving). Default false (skip).
    public var requireCleanFAQs: Bool
    /// Messages encoded in parallel batches by the serving assistant (`EmbeddingQueue`), each
    /// on a thread of its own. Default: the machine's active cores.
    public var encoderThreads: Int
    /// The encoder's number format (`EncoderConfiguration.precision`). Default `.auto`.
    public var encoderPrecision: EncoderPrecision

    public init(
        intentsDirectory: URL = URL(fileURLWithPath: "intents"),
        faqsDirectory: URL = URL(fileURLWithPath: "faqs"),
        modelPath: URL = URL(fileURLWithPath: "state/model.sbm"),
        encoderDirectory: URL? = URL(fileURLWithPath: AssistantSetup.defaultEncoderDirectory),
        seed: UInt64 = 42,
        retrieval: RetrievalConfiguration = RetrievalConfiguration(),
        requireCleanFAQs: Bool = false,
        encoderThreads: Int = ProcessInfo.processInfo.activeProcessorCount,
        encoderPrecision: EncoderPrecision = .auto
    ) {
        self.encoderPrecision = encoderPrecision
        self.encoderThreads = max(1, encoderThreads)
        self.intentsDirectory = intentsDirectory
        self.faqsDirectory = faqsDirectory
        self.modelPath = modelPath
        self.encoderDirectory = encoderDirectory
        self.seed = seed
        self.retrieval = retrieval
        self.requireCleanFAQs = requireCleanFAQs
    }

    /// Where `scripts/fetch-encoder` installs the weights.
    public static let defaultEncoderDirectory = "models/minilm"
}
