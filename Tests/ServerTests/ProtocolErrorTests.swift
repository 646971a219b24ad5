import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Server
import ServerTestSupport
import Store
import SupportCore
import TestSupport
import Testing

@Suite("Every error code, provoked over real TLS, on the line server and on /ws")
struct ProtocolErrorTests {
    static let badRequests: [(line: String, code: String)] = [
        ("{not json", "bad_json"),
        ("[1,2,3]", "bad_json"),
        (#"{"id":1}"#, "missing_field"),
        (#"{"type":42}"#, "invalid_field"),
        (#"{"type":"teleport"}"#, "unknown_type"),
        (#"{"type":"message"}"#, "missing_field"),
        (#"{"type":"message","text":""}"#, "invalid_field"),
        (#"{"type":"message","text":"   "}"#, "invalid_field"),
        (#"{"type":"message","text":7}"#, "invalid_field"),
        (#"{"type":"message","text":"hi","conversation":"0123456789abcdef0123456789abcdef"}"#, "not_found"),
        (#"{"type":"message","text":"hi","conversation":"../../etc"}"#, "not_found"),
        (#"{"type":"history"}"#, "missing_field"),
        (#"{"type":"export","conversation":"0123456789abcdef0123456789abcdef","format":"pdf"}"#, "invalid_field"),
        (#"{"type":"feedback","message":"0123456789abcdef0123456789abcdef","rating":"meh"}"#, "invalid_field"),
        (#"{"type":"feedback","message":"0123456789abcdef0123456789abcdef","rating":"up"}"#, "not_found"),
        (#"{"type":"start","metadata":"not an object"}"#, "invalid_field"),
        (#"{"type":"ping","id":{"nested":true}}"#, "invalid_field"),
    ]

    @Test("each bad request gets its code and the connection keeps working", arguments: Transport.allCases)
    func badRequestsKeepConnection(over transport: Transport) async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(responder: EchoResponder(), store: store, configure: { $0.serve(transport) }) {
                server async throws in
                try await server.withConnection(over: transport) { connection async throws in
                    for (line, code) in Self.badRequests {
                        try await connection.send(line)
                        let response = try await connection.response()
                        #expect(response["type"] as? String == "error", "\(line)")
                        #expect(response["code"] as? String == code, "\(line)")
                        #expect((response["message"] as? String)?.isEmpty == false)
                    }
                    // Invalid UTF-8 gets bad_encoding, and still the connection survives.
                    try await connection.sendRaw(
                        [UInt8]("{\"type\":\"message\",\"text\":\"".utf8) + [0xC3, 0x28] + [UInt8]("\"}\n".utf8))
                    #expect(try await connection.response()["code"] as? String == "bad_encoding")
                    let pong = try await connection.request(["type": "ping"])
                    #expect(pong["type"] as? String == "pong")
                }
                // Nothing above stored anything.
                #expect(try await store.conversations(status: .open).isEmpty)
            }
        }
    }

    @Test("a line over the cap gets line_too_long and the connection is closed", arguments: Transport.allCases)
    func lineTooLong(over transport: Transport) async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(responder: EchoResponder(), store: store, configure: { $0.serve(transport) }) {
                server async throws in
                try await server.withConnection(over: transport) { connection async throws in
                    let huge = "{\"type\":\"message\",\"text\":\"" + String(repeating: "a", count: 64 * 1024) + "\"}"
                    try await connection.send(huge)
                    #expect(try await connection.response()["code"] as? String == "line_too_long")
                    #expect(try await connection.readLine() == nil)
                }
                // A line of exactly the cap is accepted (as a request that is merely invalid).
                try await server.withConnection(over: transport) { connection async throws in
                    let prefix = #"{"type":"ping","pad":""#
                    let line = prefix + String(repeating: "x", count: 64 * 1024 - prefix.utf8.count - 2) + "\"}"
                    #expect(line.utf8.count == 64 * 1024)
                    try await connection.send(line)
                    #expect(try await connection.response()["type"] as? String == "pong")
                }
            }
        }
    }

    @Test("requests beyond the burst are rate limited and not processed", arguments: Transport.allCases)
    func rateLimit(over transport: Transport) async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.serve(transport)
                    $0.limits.ratePerSecond = 0.001
                    $0.limits.rateBurst = 3
                }
            ) { server async throws in
                try await server.withConnection(over: transport) { connection async throws in
                    var codes: [String] = []
                    for _ in 0..<5 {
                        let response = try await connection.request(["type": "message", "text": "hello"])
                        codes.append(response["type"] as? String == "reply" ? "reply" : response["code"] as? String ?? "?")
                    }
                    #expect(codes == ["reply", "reply", "reply", "rate_limited", "rate_limited"])
                }
                let conversations = try await store.conversations(status: .open)
                #expect(conversations.count == 1)
                let messages = try await store.messages(conversation: conversations[0].id)
                #expect(messages.count == 6)
            }
        }
    }

    @Test("connections over the limit are refused with busy", arguments: Transport.allCases)
    func connectionLimit(over transport: Transport) async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.limits.maxConnections = 1
                    $0.serve(transport)
                }
            ) {
                server async throws in
                try await server.withConnection(over: transport) { first async throws in
                    #expect(try await first.request(["type": "ping"])["type"] as? String == "pong")
                    try await server.withConnection(over: transport) { second async throws in
                        #expect(try await second.response()["code"] as? String == "busy")
                        #expect(try await second.readLine() == nil)
                    }
                }
            }
        }
    }

    // Two seconds of idle time: the client pings first, which a loaded 2-core machine can delay.
    @Test("an idle connection gets bye and is closed", arguments: Transport.allCases)
    func idleTimeout(over transport: Transport) async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.limits.idleTimeout = .seconds(2)
                    $0.serve(transport)
                }
            ) { server async throws in
                try await server.withConnection(over: transport) { connection async throws in
                    #expect(try await connection.request(["type": "ping"])["type"] as? String == "pong")
                    let bye = try await connection.response()
                    #expect(bye["type"] as? String == "bye")
                    #expect(bye["reason"] as? String == "idle")
                    #expect(try await connection.readLine() == nil)
                }
            }
        }
    }

    @Test("a plaintext TCP client is never served")
    func plaintextRefused() async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(responder: EchoResponder(), store: store) { server async throws in
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(host: "127.0.0.1", port: server.port) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                        }
                    }
                let received = try await channel.executeThenClose { inbound, outbound in
                    try await outbound.write(ByteBuffer(string: "{\"type\":\"ping\"}\nhello\n"))
                    var bytes: [UInt8] = []
                    do {
                        for try await chunk in inbound { bytes += chunk.readableBytesView }
                    } catch {
                        // A reset is a refusal too.
                    }
                    return bytes
                }
                let text = String(decoding: received, as: UTF8.self)
                #expect(!text.contains("pong"))
                #expect(!text.contains("echo"))
            }
        }
    }

    @Test("TLS 1.1 is refused")
    func oldTLSRefused() async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(responder: EchoResponder(), store: store) { server async throws in
                var options = TestCertificates.clientTLS
                options.maximumVersion = .tlsv11
                await #expect(throws: (any Error).self) {
                    try await server.withConnection(tls: options) { connection async throws in
                        _ = try await connection.request(["type": "ping"])
                    }
                }
            }
        }
    }
}
