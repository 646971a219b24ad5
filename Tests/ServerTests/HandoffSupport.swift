import Foundation
import Server
import ServerTestSupport
import Store
import SupportCore
import Synchronization
import TestSupport
import Testing

/// `EchoResponder` that also records every text it was asked to answer, so tests can prove
/// the bot was (or was not) consulted. "human" hands the conversation to a person.
final class RecordingResponder: ChatResponder {
    private let texts = Mutex<[String]>([])

    /// The texts the server asked the bot to answer, in order.
    var seen: [String] { texts.withLock { $0 } }

    func respond(to turn: ChatTurn, onDelta: @Sendable (String) async -> Void) async -> ChatAnswer {
        texts.withLock { $0.append(turn.text) }
        return await EchoResponder().respond(to: turn, onDelta: onDelta)
    }
}

/// Tokens of the two clients every handoff test uses: the customer `alice` and the agent `sam`.
struct HandoffTokens: Sendable {
    let customer: String
    let agent: String
}

/// A server that requires tokens, over a fresh store holding a customer and an agent token.
func withHandoffServer(
    _ body: @Sendable (ServerHarness, HandoffTokens, RecordingResponder) async throws -> Void
) async throws {
    try await withStore { store async throws in
        let tokens = HandoffTokens(
            customer: try await store.createClient(name: "alice", role: .customer),
            agent: try await store.createClient(name: "sam", role: .agent)
        )
        let responder = RecordingResponder()
        try await ServerHarness.run(responder: responder, store: store, configure: { $0.requireAuth = true }) {
            server async throws in
            try await body(server, tokens, responder)
        }
    }
}

extension ProtocolTestConnection {
    /// Authenticates in JSON mode and checks the welcome names `client`.
    func hello(_ token: String, as client: String) async throws {
        let welcome = try await request(["type": "hello", "token": token])
        guard welcome["type"] as? String == "welcome", welcome["client"] as? String == client else {
            throw HarnessError("hello as \(client) failed: \(welcome)")
        }
    }

    /// Sends a customer message and returns the id of the conversation it landed in.
    func say(_ text: String) async throws -> String {
        let reply = try await request(["type": "message", "text": text])
        guard reply["type"] as? String == "reply", let conversation = reply["conversation"] as? String else {
            throw HarnessError("message '\(text)' was not answered: \(reply)")
        }
        return conversation
    }

    /// Proves nothing else is queued ahead: the very next line must be the `pong`.
    func expectNothingPending(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let pong = try await request(["type": "ping", "id": "drain"])
        #expect(pong["type"] as? String == "pong", "unexpected line: \(pong)", sourceLocation: sourceLocation)
    }
}

/// The keys of a JSON object, for asserting a response's exact shape.
func keys(_ object: [String: Any]) -> Set<String> {
    Set(object.keys)
}
