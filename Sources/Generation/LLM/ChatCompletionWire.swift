/// The subset of the OpenAI chat-completions wire format the generator sends and reads; the
/// same shapes are spoken by llama.cpp's server, vLLM, Ollama and OpenAI.
enum ChatCompletionWire {
    struct Request: Encodable, Sendable {
        var model: String
        var messages: [ChatMessage]
        var stream: Bool
        var temperature: Double
        var maxTokens: Int
        var stop: [String]?

        enum CodingKeys: String, CodingKey {
            case model, messages, stream, temperature, stop
            case maxTokens = "max_tokens"
        }
    }

    /// One streamed chunk (`chat.completion.chunk`) or a whole response (`chat.completion`):
    /// chunks carry `delta`, whole responses `message`.
    struct Response: Decodable, Sendable {
        struct Choice: Decodable, Sendable {
            struct Content: Decodable, Sendable {
                var content: String?
            }
            var index: Int?
            var delta: Content?
            var message: Content?
            var finishReason: String?

            enum CodingKeys: String, CodingKey {
                case index, delta, message
                case finishReason = "finish_reason"
            }
        }
        struct ErrorBody: Decodable, Sendable {
            var message: String?
            var type: String?
        }
        var choices: [Choice]?
        var error: ErrorBody?
    }
}
