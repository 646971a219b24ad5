import Foundation
import SupportCore

/// What a chat-completion body says, piece by piece.
public enum ChatStreamItem: Sendable, Equatable {
    /// More answer text.
    case delta(String)
    /// The model stopped: `stop`, `length`, … (the OpenAI `finish_reason`).
    case finish(String)
    /// The `[DONE]` sentinel: nothing follows.
    case done
}

/// Turns server-sent events (or a whole JSON response from a server that ignored
/// `stream: true`) into answer pieces, rejecting error objects and malformed chunks.
public struct ChatStreamDecoder: Sendable {
    private let decoder = JSONDecoder()

    public init() {}

    /// The items of one event's `data`.
    public func decode(event: ServerSentEvent) throws(LLMFailure) -> [ChatStreamItem] {
        let data = event.data.trimmingWhitespace()
        if data == "[DONE]" { return [.done] }
        if event.event == "error" {
            throw LLMFailure(.serverError, "the server sent an error event")
        }
        return try decode(json: Array(data.utf8))
    }

    /// The items of one JSON object: a chunk's `delta` or a whole response's `message`.
    public func decode(json: [UInt8]) throws(LLMFailure) -> [ChatStreamItem] {
        let response: ChatCompletionWire.Response
        do {
            response = try decoder.decode(ChatCompletionWire.Response.self, from: Data(json))
        } catch {
            throw LLMFailure(.badResponse, "a chunk is not chat-completion JSON (\(json.count) bytes)")
        }
        if let error = response.error {
            let kind = error.type.map { " (\($0))" } ?? ""
            throw LLMFailure(.serverError, "the server reported an error\(kind)")
        }
        var items: [ChatStreamItem] = []
        for choice in response.choices ?? [] where (choice.index ?? 0) == 0 {
            if let content = choice.delta?.content ?? choice.message?.content, !content.isEmpty {
                items.append(.delta(content))
            }
            if let reason = choice.finishReason {
                items.append(.finish(reason))
            }
        }
        return items
    }
}
