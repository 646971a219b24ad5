import Assistant
import Content
import SupportCore

/// Replays scripted conversations (`ConversationScript`) against a real assistant and reports,
/// per turn, every expectation the reply missed, with the script's `file:line`. Each script
/// runs in a fresh conversation, so scripts are independent of one another and of their order.
public struct ConversationTestRunner: Sendable {
    /// The result of one script.
    public struct Outcome: Sendable {
        public var name: String
        public var location: SourceLocation
        /// One line per missed expectation, each starting with the turn's `file:line`.
        public var failures: [String]
        /// Each customer message with the reply it got, for a verbose report.
        public var transcript: [(user: String, reply: ChatAnswer)]

        public var passed: Bool { failures.isEmpty }
    }

    private let assistant: any ChatResponder

    public init(assistant: any ChatResponder) {
        self.assistant = assistant
    }

    /// Runs one script in a new conversation.
    public func run(_ script: ConversationScript) async -> Outcome {
        let conversation = ConversationID.random()
        var outcome = Outcome(name: script.name, location: script.location, failures: [], transcript: [])
        for (index, step) in script.steps.enumerated() {
            switch step {
            case .feedback(let rating, _):
                await assistant.noteFeedback(conversation: conversation, rating: rating == "down" ? .down : .up)
            case .message(let turn):
                let reply = await assistant.respond(
                    to: ChatTurn(conversation: conversation, client: "conversation-test", text: turn.text), onDelta: { _ in })
                outcome.transcript.append((turn.text, reply))
                let prefix = "\(turn.location): '\(script.name)', turn \(index + 1) (\"\(turn.text)\")"
                outcome.failures += Self.misses(turn, reply).map { "\(prefix): \($0)" }
            }
        }
        return outcome
    }

    /// What `reply` got wrong against `turn`'s expectations.
    static func misses(_ turn: ConversationScript.MessageTurn, _ reply: ChatAnswer) -> [String] {
        var misses: [String] = []
        let got = "got route \(reply.route.rawValue), intent \(reply.intent) (\(Self.percent(reply.confidence)))"
        if let route = turn.route, reply.route.rawValue != route {
            misses.append("expected route \(route), \(got): \"\(Self.excerpt(reply.text))\"")
        }
        if let intent = turn.intent, reply.intent != intent {
            misses.append("expected intent \(intent), \(got)")
        }
        let text = reply.text.lowercased()
        for phrase in turn.says where !text.contains(phrase.lowercased()) {
            misses.append("expected the reply to say \"\(phrase)\", it said \"\(Self.excerpt(reply.text))\"")
        }
        for phrase in turn.notSays where text.contains(phrase.lowercased()) {
            misses.append("expected the reply not to say \"\(phrase)\"")
        }
        if let source = turn.source, !reply.sources.contains(where: { $0.id.contains(source) }) {
            let cited = reply.sources.map(\.id).joined(separator: ", ")
            misses.append("expected a source matching \(source), cited [\(cited)]")
        }
        if let options = turn.options, reply.options != options {
            misses.append("expected options \(options), got \(reply.options)")
        }
        return misses
    }

    private static func excerpt(_ text: String) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count > 120 ? flat.prefix(117) + "..." : flat
    }

    private static func percent(_ value: Double) -> String {
        "\(Int((value * 100).rounded())) %"
    }
}
