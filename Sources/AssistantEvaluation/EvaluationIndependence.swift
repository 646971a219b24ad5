import Content
import SupportCore

/// Checks that an evaluation set does not restate the content it is scored against: a message
/// may not share a run of `runLength` words with any intent example or FAQ question or
/// alternate, nor have a word-set Jaccard similarity of `maximumJaccard` or more with one.
/// Evaluation on paraphrases of the training text would measure memory, not understanding.
public struct EvaluationIndependence: Sendable {
    /// A message too close to a content text.
    public struct Violation: Sendable, Hashable {
        public var location: SourceLocation
        public var message: String
        public var content: String
        public var reason: String
    }

    /// The result: violations, and the closest pair overall.
    public struct Result: Sendable {
        public var messages: Int
        public var violations: [Violation]
        public var maximumJaccard: Double
        public var closest: (message: String, content: String)?
    }

    public var runLength = 5
    public var maximumJaccard = 0.6

    public init() {}

    /// Checks every turn of `cases` against the intents' examples (and out-of-scope examples)
    /// and the FAQ entries' questions and alternates.
    public func check(_ cases: [AnswerEvaluationCase], intents: IntentSet, entries: [FAQEntry]) -> Result {
        let texts =
            intents.intents.flatMap(\.examples) + intents.outOfScopeExamples
            + entries.flatMap { [$0.question] + $0.alternates }
        let content = texts.map { text in (text, Self.words(text)) }
        var runs: [String: String] = [:]
        for (text, words) in content where words.count >= runLength {
            for start in 0...(words.count - runLength) where runs[words[start..<(start + runLength)].joined(separator: " ")] == nil
            {
                runs[words[start..<(start + runLength)].joined(separator: " ")] = text
            }
        }
        var result = Result(messages: 0, violations: [], maximumJaccard: 0, closest: nil)
        for turn in cases.flatMap(\.turns) {
            result.messages += 1
            let words = Self.words(turn.text)
            if words.count >= runLength {
                for start in 0...(words.count - runLength) {
                    let run = words[start..<(start + runLength)].joined(separator: " ")
                    if let source = runs[run] {
                        result.violations.append(
                            Violation(location: turn.location, message: turn.text, content: source, reason: "shares \"\(run)\""))
                        break
                    }
                }
            }
            let set = Set(words)
            for (text, other) in content {
                let otherSet = Set(other)
                let union = set.union(otherSet).count
                guard union > 0 else { continue }
                let jaccard = Double(set.intersection(otherSet).count) / Double(union)
                if jaccard > result.maximumJaccard {
                    result.maximumJaccard = jaccard
                    result.closest = (turn.text, text)
                }
                if jaccard >= maximumJaccard {
                    result.violations.append(
                        Violation(
                            location: turn.location, message: turn.text, content: text,
                            reason: "word-set Jaccard \(Int((jaccard * 100).rounded())) %"))
                }
            }
        }
        return result
    }

    static func words(_ text: String) -> [String] {
        WordSplitter.words(text, apostrophes: .keepInside)
    }
}
