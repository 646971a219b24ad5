import Foundation
import Generation

/// CPU cost of turning one streamed chunk into answer text: the SSE parser plus the JSON
/// decoding, per chunk, over a chunk recorded from llama.cpp's server.
struct DecodeBenchmark {
    static let chunk = Array(
        "data: {\"id\": \"chatcmpl-3215dc8a-7c76-43ce-a2b1-35d172b817be\", \"model\": \"default\", \"created\": 1795585542, \"object\": \"chat.completion.chunk\", \"choices\": [{\"index\": 0, \"delta\": {\"content\": \" customer\"}, \"logprobs\": null, \"finish_reason\": null}]}\n\n".utf8)

    func run() {
        let count = 20_000
        let clock = ContinuousClock()
        var parser = ServerSentEventParser()
        let decoder = ChatStreamDecoder()
        var characters = 0
        let start = clock.now
        for _ in 0..<count {
            for event in (try? parser.feed(Self.chunk)) ?? [] {
                for case .delta(let text) in (try? decoder.decode(event: event)) ?? [] { characters += text.count }
            }
        }
        let perChunk = millis(clock.now - start) * 1_000 / Double(count)
        print("decode: \(format(perChunk, 2)) µs per streamed chunk (SSE parse + JSON), \(characters) characters")
    }
}
