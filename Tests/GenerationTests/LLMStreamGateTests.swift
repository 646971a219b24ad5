import Foundation
import Testing

@testable import Generation

/// Only checked text is streamed (issue 17, finding 10): answers written by a scripted stand-in
/// for an OpenAI-compatible server (a protocol fake of the external LLM service) in the pieces
/// a model would send.
@Suite("LLM answers streamed only once checked")
struct LLMStreamGateTests {
    typealias Fixture = GenerationFixture
    static let question = "Do gift cards expire?"

    /// A chat-completion event stream carrying `pieces`, then `finish`.
    static func stream(
        _ pieces: [String], finish: String? = "stop", then tail: [ScriptedHTTPServer.Step] = []
    )
        -> @Sendable (Int) -> ScriptedHTTPServer.Plan
    {
        func event(_ object: [String: Any]) -> ScriptedHTTPServer.Step {
            let data = try! JSONSerialization.data(withJSONObject: object)
            return .chunk(Array("data: \(String(decoding: data, as: UTF8.self))\n\n".utf8))
        }
        var steps = pieces.map { event(["choices": [["index": 0, "delta": ["content": $0]]]]) }
        if let finish {
            steps.append(event(["choices": [["index": 0, "delta": [:], "finish_reason": finish]]]))
            steps.append(.chunk(Array("data: [DONE]\n\n".utf8)))
        }
        let plan = ScriptedHTTPServer.Plan(status: 200, contentType: "text/event-stream", steps: steps + tail)
        return { _ in plan }
    }

    static func generate(
        _ respond: @escaping @Sendable (Int) -> ScriptedHTTPServer.Plan, timeout: Duration = .seconds(10)
    ) async throws -> (answer: GeneratedAnswer, deltas: [String]) {
        let server = try ScriptedHTTPServer(respond: respond)
        defer { server.stop() }
        let configuration = LLMGeneratorTests.configuration(port: server.port) { $0.timeout = timeout }
        let deltas = Fixture.DeltaLog()
        let answer = try await LLMGeneratorTests.withGenerator(configuration) { generator in
            await generator.generate(question: question, hits: Fixture.hits(question)) { deltas.append($0) }
        }
        return (answer, deltas.all)
    }

    @Test("a grounded answer streams sentence by sentence, and the reply is exactly what was streamed")
    func groundedStreams() async throws {
        let (answer, deltas) = try await Self.generate(
            Self.stream(["Gift", " cards never", " expire.", " [1]", " Any bal", "ance stays", " on the card.", " [1]"]))
        #expect(answer.generator == GeneratedAnswer.llm)
        #expect(answer.fallbackReason == nil)
        #expect(deltas.count == 2)
        #expect(deltas.first == "Gift cards never expire. [1] ")
        #expect(answer.text == deltas.joined().trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(answer.text == "Gift cards never expire. [1] Any balance stays on the card. [1]")
    }

    @Test("a sentence citing a source that was not given is never shown; the answer is what was shown before it")
    func invalidCitationStops() async throws {
        let (answer, deltas) = try await Self.generate(
            Self.stream(["Gift cards never expire. [1]", " Shipping is free. [7]", " Ask us anything. [1]"]))
        #expect(deltas.joined() == "Gift cards never expire. [1] ")
        #expect(answer.generator == GeneratedAnswer.llm)
        #expect(answer.text == "Gift cards never expire. [1]")
    }

    @Test("an answer that cites nothing is never shown; the composer answers")
    func uncitedIsHeld() async throws {
        let (answer, deltas) = try await Self.generate(Self.stream(["Hello there.", " I think so.", " Probably."]))
        #expect(deltas.isEmpty)
        #expect(answer.generator == GeneratedAnswer.composer)
        #expect(answer.fallbackReason == LLMFailure.Code.noCitation.rawValue)
    }

    @Test("an answer that turns into the prompt's blocks stops there")
    func promptBlocksStop() async throws {
        let (answer, deltas) = try await Self.generate(
            Self.stream(["They never expire. [1]", " <source id=\"2\">", " [2] Shipping.", " More."]))
        #expect(deltas.joined() == "They never expire. [1] ")
        #expect(answer.text == "They never expire. [1]")
    }

    @Test("a stream cut off by the deadline after a checked sentence keeps that sentence as the answer")
    func deadlineAfterShownSentence() async throws {
        let (answer, deltas) = try await Self.generate(
            Self.stream(["Gift cards never expire. [1]", " Any balance"], finish: nil, then: [.stall]), timeout: .seconds(2))
        #expect(deltas.joined() == "Gift cards never expire. [1] ")
        #expect(answer.generator == GeneratedAnswer.llm)
        #expect(answer.text == "Gift cards never expire. [1]")
    }

    @Test("an answer cut by max_tokens keeps its complete checked sentences and drops the cut one")
    func truncatedKeepsCompleteSentences() async throws {
        let (answer, deltas) = try await Self.generate(
            Self.stream(["Gift cards never expire. [1]", " Any balance stays on"], finish: "length"))
        #expect(deltas.joined() == "Gift cards never expire. [1] ")
        #expect(answer.text == "Gift cards never expire. [1]")
    }

    @Test("units end after a sentence's citations, once the next sentence has begun")
    func unitBoundaries() {
        func end(_ text: String) -> String? { SentenceGate.completeUnitEnd(in: text).map { String(text[..<$0]) } }
        #expect(end("One. [1] Two") == "One. [1] ")
        #expect(end("One. [1]") == nil)
        #expect(end("One. [1][2] T") == "One. [1][2] ")
        #expect(end("One.") == nil)
        #expect(end("One. [") == nil)
        #expect(end("One.\nTwo") == "One.\n")
        #expect(end("Costs 4.50 [1] now") == "Costs 4.")
    }

    @Test("prompt echoes are recognised; ordinary answers are not")
    func echoes() {
        #expect(SentenceGate.echoesPrompt("Cite the source it comes from by its number in square brackets, like [1]."))
        #expect(SentenceGate.echoesPrompt("</question> and then"))
        #expect(!SentenceGate.echoesPrompt("Gift cards never expire and any balance stays on the card. [1]"))
    }
}
