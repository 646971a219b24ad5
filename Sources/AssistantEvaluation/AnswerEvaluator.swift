import Content
import SupportCore

/// Scores an answer-quality evaluation set against a responder: every conversation in a fresh
/// conversation id, every turn judged by `AnswerJudge`, then totals by category.
public struct AnswerEvaluator: Sendable {
    private let responder: any ChatResponder

    public init(responder: any ChatResponder) {
        self.responder = responder
    }

    /// One conversation's verdicts, turn by turn.
    public struct ConversationResult: Sendable {
        public var evaluationCase: AnswerEvaluationCase
        public var verdicts: [AnswerVerdict]
        public var fullyRight: Bool { verdicts.allSatisfy(\.answeredRight) }
    }

    /// Runs every case; `progress` is called after each with the number done.
    public func run(_ cases: [AnswerEvaluationCase], progress: @Sendable (Int) -> Void = { _ in }) async -> AnswerEvaluationReport {
        var results: [ConversationResult] = []
        for (index, evaluationCase) in cases.enumerated() {
            results.append(await run(evaluationCase))
            progress(index + 1)
        }
        return AnswerEvaluationReport(results: results)
    }

    /// Runs one case in a new conversation.
    public func run(_ evaluationCase: AnswerEvaluationCase) async -> ConversationResult {
        let conversation = ConversationID.random()
        var verdicts: [AnswerVerdict] = []
        for turn in evaluationCase.turns {
            let reply = await responder.respond(
                to: ChatTurn(conversation: conversation, client: "answer-evaluation", text: turn.text), onDelta: { _ in })
            verdicts.append(AnswerJudge.judge(reply, against: turn))
        }
        return ConversationResult(evaluationCase: evaluationCase, verdicts: verdicts)
    }
}
