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
            didSet { wordCounts = Self.wordCounts(of: intents) }
        }
        public var classifier: IntentClassifier
        /// Every lower-cased word of the intents' names, examples, answers and variables (not the
        /// out-of-scope examples), with how often it occurs: what the bot's
        /// behaviour knows about (see `MessageSignals.foreignName`).
        public private(set) var wordCounts: [String: Int]

        public init(intents: IntentSet, classifier: IntentClassifier) {
            self.intents = intents
            self.classifier = classifier
            self.wordCounts = Self.wordCounts(of: intents)
        }

        private static func wordCounts(of set: IntentSet) -> [String: Int] {
            var counts: [String: Int] = [:]
            var texts = Array(set.variables.values)
            for intent in set.intents { texts += [intent.name] + intent.examples + intent.answers }
            // Not the out-of-scope examples: the names in them are exactly the foreign ones.
            for text in texts {
                for word in WordSplitter.words(text, apostrophes: .keepInside) { counts[word, default: 0] += 1 }
            }
            return counts
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

    /// Replaces the snapshot only while the one in force was trained on the same intents (same
    /// `contentHash`), atomically: a model finished in the background never replaces one trained
    /// on newer intents. Returns whether it swapped.
    public func swap(_ snapshot: Snapshot, ifContentHash contentHash: String) -> Bool {
        state.withLock { current in
            guard current.intents.contentHash == contentHash else { return false }
            current = snapshot
            return true
        }
    }
}
