import Classifier
import Content
import Synchronization

/// The intents and the classifier trained on them, swapped together atomically when
/// `intents/` changes and a retrain succeeds, so a request never pairs a model with the wrong
/// intent definitions.
public final class IntentRuntime: Sendable {
    /// One consistent pair of definitions and model.
    public struct Snapshot: Sendable {
        public var intents: IntentSet
        public var classifier: IntentClassifier

        public init(intents: IntentSet, classifier: IntentClassifier) {
            self.intents = intents
            self.classifier = classifier
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
