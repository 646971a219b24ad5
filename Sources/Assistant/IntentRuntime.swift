import Classifier
import Content
import SupportCore
import Synchronization

/// The intents and the classifier trained on them, swapped together atomically when
/// `intents/` changes and a retrain succeeds, so a request never pairs a model with the wrong
/// intent definitions.
public final class IntentRuntime: Sendable {
    /// One consistent pair of definitions and model.
    public struct Snapshot: Sendable {
        public var intents: IntentSet {
            didSet { vocabulary = Self.vocabulary(of: intents) }
        }
        public var classifier: IntentClassifier
        /// Every lower-cased word of the intents' names, examples, answers and variables (not the
        /// out-of-scope examples): what the bot's
        /// behaviour knows about (see `MessageSignals.foreignName`).
        public private(set) var vocabulary: Set<String>

        public init(intents: IntentSet, classifier: IntentClassifier) {
            self.intents = intents
            self.classifier = classifier
            self.vocabulary = Self.vocabulary(of: intents)
        }

        private static func vocabulary(of set: IntentSet) -> Set<String> {
            var words = Set<String>()
            for intent in set.intents {
                for text in [intent.name] + intent.examples + intent.answers {
                    words.formUnion(WordSplitter.words(text, apostrophes: .keepInside))
                }
            }
            // Not the out-of-scope examples: the names in them are exactly the foreign ones.
            for text in set.variables.values { words.formUnion(WordSplitter.words(text, apostrophes: .keepInside)) }
            return words
        }
    }

    private let state: Mutex<Snapshot>

    public init(_ snapshot: Snapshot) {
        state = Mutex(snapshot)
    }

    /// The snapshot in force now.
    public var current: Snapshot {
        state.withLock { $0 }
    }

    /// Replaces the snapshot; requests already running keep the one they started with.
    public func swap(_ snapshot: Snapshot) {
        state.withLock { $0 = snapshot }
    }
}
