import Conversations
import Foundation
import SupportCore
import Testing

@testable import Server

/// JSON-mode request parsing and response encoding on their own: every error a malformed line
/// deserves, with no connection.
@Suite("Request parser and wire encoding")
struct RequestParserTests {
    let parser = RequestParser(maxMessageLength: 10)
    static let id = "0123456789abcdef0123456789abcdef"

    func error(_ line: String) -> (RequestID?, RequestError?) {
        let (id, result) = parser.parse(line)
        if case .failure(let error) = result { return (id, error) }
        return (id, nil)
    }

    @Test("well-formed requests become typed values, ids echoed verbatim")
    func wellFormed() throws {
        let (id, result) = parser.parse(#"{"type":"message","id":7,"conversation":"\#(Self.id)","text":"hi"}"#)
        #expect(id == RequestID(jsonText: "7"))
        guard case .message(let conversation, let text) = try result.get() else {
            Issue.record("expected a message request")
            return
        }
        #expect(conversation?.rawValue == Self.id)
        #expect(text == "hi")
        guard
            case .export(_, .csv, true, false) = try parser.parse(
                #"{"type":"export","conversation":"\#(Self.id)","format":"csv","redact":true}"#
            ).1.get()
        else {
            Issue.record("expected a redacted CSV export")
            return
        }
        guard
            case .export(_, .csv, false, true) = try parser.parse(
                #"{"type":"export","conversation":"\#(Self.id)","format":"csv","guard_formulas":true}"#
            ).1.get()
        else {
            Issue.record("expected a CSV export with formulas guarded")
            return
        }
        guard case .start(nil, let metadata?) = try parser.parse(#"{"type":"start","metadata":{"page":"/help"}}"#).1.get() else {
            Issue.record("expected a start with metadata")
            return
        }
        #expect(metadata == #"{"page":"/help"}"#)
    }

    @Test(
        "each malformed line gets its precise code",
        arguments: [
            ("not json", "bad_json"),
            ("[1,2]", "bad_json"),
            (#"{"id":"a"}"#, "missing_field"),
            (#"{"type":"dance"}"#, "unknown_type"),
            (#"{"type":"message"}"#, "missing_field"),
            (#"{"type":"message","text":"   "}"#, "invalid_field"),
            (#"{"type":"message","text":"01234567890"}"#, "invalid_field"),
            (#"{"type":"message","text":5}"#, "invalid_field"),
            (#"{"type":"history","conversation":"nope"}"#, "not_found"),
            (#"{"type":"export","conversation":"0123456789abcdef0123456789abcdef","format":"pdf"}"#, "invalid_field"),
            (#"{"type":"export","conversation":"0123456789abcdef0123456789abcdef","format":"csv","redact":1}"#, "invalid_field"),
            (
                #"{"type":"export","conversation":"0123456789abcdef0123456789abcdef","format":"csv","guard_formulas":"yes"}"#,
                "invalid_field"
            ),
            (#"{"type":"feedback","message":"0123456789abcdef0123456789abcdef","rating":"meh"}"#, "invalid_field"),
            (#"{"type":"start","metadata":"page"}"#, "invalid_field"),
            (#"{"type":"ping","id":[1]}"#, "invalid_field"),
        ])
    func malformed(line: String, code: String) {
        let (_, error) = error(line)
        #expect(error?.code.rawValue == code)
    }

    @Test("the id of a request that fails validation is still echoed")
    func idEchoed() {
        let (id, error) = error(#"{"type":"dance","id":"r1"}"#)
        #expect(id == RequestID(jsonText: #""r1""#))
        #expect(error?.code == .unknownType)
    }

    @Test("exactly the length limit is accepted, counted in characters")
    func lengthInCharacters() throws {
        let (_, result) = parser.parse(#"{"type":"message","text":"ééééééééé😀"}"#)
        guard case .message(_, let text) = try result.get() else {
            Issue.record("expected a message")
            return
        }
        #expect(text.count == 10)
    }

    @Test("responses are one JSON object with type first and the id echoed")
    func encoding() throws {
        let answer = ChatAnswer(
            text: "Line \"one\"\nline two", route: .faq, intent: "returns", confidence: 0.123456,
            sources: [SourceRef(id: "returns.md#how", title: "How?", file: "returns.md", score: 0.98765)], options: [])
        let conversation = try #require(ConversationID(rawValue: Self.id))
        let line = WireEncoding.reply(
            id: RequestID(jsonText: #""q1""#), conversation: conversation, message: conversation, answer: answer)
        #expect(line.hasPrefix(#"{"type":"reply","id":"q1","#))
        #expect(!line.contains("\n"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(object["text"] as? String == "Line \"one\"\nline two")
        #expect((object["intent"] as? [String: Any])?["confidence"] as? Double == 0.1235)
        #expect(((object["sources"] as? [[String: Any]])?.first?["score"] as? Double) == 0.9877)

        let error = WireEncoding.error(id: nil, RequestError(.rateLimited, "slow down"))
        #expect(error == #"{"type":"error","code":"rate_limited","message":"slow down"}"#)
    }
}
