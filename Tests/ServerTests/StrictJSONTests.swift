import Conversations
import Foundation
import ServerTestSupport
import Store
import SupportCore
import TestSupport
import Testing

@testable import Server

/// Requests are strict JSON (RFC 8259): what lenient parsers accept silently is refused with
/// `bad_json` and the place, and ids come back exactly as sent.
@Suite("Strict JSON requests")
struct StrictJSONTests {
    let parser = RequestParser(maxMessageLength: 100)

    @Test(
        "lenient JSON is refused with bad_json saying what and where",
        arguments: [
            (#"{"type":"message","text":"hi","text":"bye"}"#, "the key 'text' appears twice"),
            ("\u{FEFF}" + #"{"type":"ping"}"#, "a byte order mark"),
            (#"{"type":"ping",}"#, "no trailing comma"),
            (#"{"type":"ping","ids":[1,2,]}"#, "a trailing comma"),
            (#"{"type":"ping"} // hi"#, "text after the JSON value"),
            (#"{'type':'ping'}"#, "expected a key in quotes"),
            (#"{"type":"ping","n":01}"#, "leading zero"),
            (#"{"type":"ping","n":1e400}"#, "out of range"),
            (#"{"type":"ping","n":NaN}"#, "unexpected character"),
            ("{\"type\":\"message\",\"text\":\"a\u{01}b\"}", "a control character"),
            (#"{"type":"message","text":"\ud800"}"#, "a lone surrogate"),
            (String(repeating: "[", count: 100) + String(repeating: "]", count: 100), "nested more than 64"),
        ])
    func refused(line: String, reason: String) {
        let (_, result) = parser.parse(line)
        guard case .failure(let error) = result else {
            Issue.record("accepted: \(line)")
            return
        }
        #expect(error.code == .badJSON)
        #expect(error.message.contains(reason), "\(error.message)")
        #expect(error.message.contains("at byte"))
    }

    @Test("escapes, surrogate pairs and numbers read as RFC 8259 says")
    func reads() throws {
        let document = try StrictJSONReader.read(
            Array(#"{"a":"\u00e9\ud83d\ude00\n\/","b":-0.5e1,"c":[true,false,null],"d":{}}"#.utf8))
        #expect(
            document.value
                == .object([
                    "a": .string("é😀\n/"), "b": .number(-5), "c": .array([.bool(true), .bool(false), .null]), "d": .object([:]),
                ]))
    }

    @Test("an id is echoed exactly as written, however large or precise")
    func idsEchoedExactly() {
        for id in ["18446744073709551617", "-9223372036854775809", "1.000000000000000000001", "1E2", #""r\u0031""#] {
            let (parsed, _) = parser.parse(#"{"type":"ping","id":\#(id)}"#)
            #expect(parsed?.jsonText == id)
            #expect(WireEncoding.start("pong", id: parsed).text == #"{"type":"pong","id":\#(id)}"#)
        }
    }

    @Test("rate_limited carries the request's id", arguments: Transport.allCases)
    func rateLimitedKeepsID(over transport: Transport) async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.limits.ratePerSecond = 0.001
                    $0.limits.rateBurst = 1
                    $0.serve(transport)
                }
            ) { server async throws in
                try await server.withConnection(over: transport) { connection in
                    try await connection.send(#"{"type":"ping","id":18446744073709551617}"#)
                    #expect(try await connection.readLine() == #"{"type":"pong","id":18446744073709551617}"#)
                    try await connection.send(#"{"type":"ping","id":"second"}"#)
                    let limited = try await connection.response()
                    #expect(limited["code"] as? String == "rate_limited")
                    #expect(limited["id"] as? String == "second")
                }
            }
        }
    }
}
