import Foundation
import Generation
import Retrieval

/// The chat-completions request body LLMGenerator sends for a question, built from the same
/// PromptBuilder, for curl peers and for recording fixtures.
struct RequestBody: Encodable {
    var model: String
    var messages: [ChatMessage]
    var stream: Bool
    var temperature: Double
    var max_tokens: Int
    var stop: [String]?

    init(question: String, corpus: BenchCorpus, configuration: LLMConfiguration) {
        let hits = corpus.index.search(question, limit: configuration.maxSources).hits
        model = configuration.model
        messages = PromptBuilder(
            maxSourceCharacters: configuration.maxSourceCharacters, useSystemRole: configuration.useSystemRole
        ).messages(question: question, sources: hits)
        stream = true
        temperature = configuration.temperature
        max_tokens = configuration.maxTokens
        stop = configuration.stop.isEmpty ? nil : configuration.stop
    }

    func json() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(self)) ?? Data()
    }
}
