import Foundation
import Server
import ServerTestSupport
import Store
import SupportCore
import Synchronization
import TestSupport
import Testing

/// Memory stays flat against clients that stream without newlines or never read. The server runs
/// in this process, so its memory is this process's RSS; the suite runs its tests one at a time
/// so they do not inflate each other's measurements.
@Suite("Backpressure and memory bounds over real TLS", .serialized)
struct BackpressureTests {
    static let mebibyte = 1024 * 1024

    @Test("a client streaming 64 MiB without a newline is discarded at the line cap and closed")
    func unterminatedStream() async throws {
        let responder = GatedResponder()
        let metrics = ServerMetrics()
        try await withStore { store async throws in
            try await ServerHarness.run(responder: responder, store: store, metrics: metrics) { server async throws in
                // Given a connection whose request in progress holds its session, so nothing
                // closes it while the bytes stream in
                let client = try await RawTLSClient.connect(port: server.port, reading: true)
                try await client.send(#"{"type":"message","id":1,"text":"wait"}"#)
                await responder.waitUntilHeld()
                let baseline = try #require(ProcessMemory.residentBytes())
                let peak = MemoryPeak()
                let receivedBefore = metrics.value("supportbot_received_bytes_total") ?? 0

                // When it sends 64 MiB (1,024 times the 64 KiB line cap) with no newline
                let total = 64 * Self.mebibyte
                let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 64 * 1024)
                for _ in 0..<(total / chunk.count) {
                    try await client.sendRaw(chunk)
                }
                // (the server has read every byte: TLS adds overhead, never removes any)
                let readAll = await eventually {
                    (metrics.value("supportbot_received_bytes_total") ?? 0) - receivedBefore >= Double(total)
                }
                let peakBytes = await peak.stop()
                responder.release()

                // Then the request in progress is answered, the long line refused, the
                // connection closed, and memory grew far less than what was sent
                #expect(readAll)
                #expect(await client.waitUntilClosedByServer(timeout: .seconds(30)))
                let responses = client.receivedLines.map { line in
                    (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? [:]
                }
                #expect(responses.map { $0["type"] as? String } == ["pong", "reply", "error"])
                #expect(responses.last?["code"] as? String == "line_too_long")
                let growth = peakBytes - baseline
                #expect(growth < 24 * Self.mebibyte, "RSS grew by \(growth / Self.mebibyte) MiB while 64 MiB streamed in")
            }
        }
    }

    @Test("a client that never reads is no longer read from and is closed after the write-stall timeout")
    func writeStall() async throws {
        let outcome = try await Self.floodNonReadingClient {
            $0.limits.writeStallTimeout = .milliseconds(500)
        }
        #expect(outcome.dropped == "write_stall")
        #expect(outcome.closedByServer)
        #expect(outcome.requestsSent < Self.floodRequests, "the server kept reading from a client that does not read")
        #expect(outcome.growth < 32 * Self.mebibyte, "RSS grew by \(outcome.growth / Self.mebibyte) MiB")
    }

    @Test("output queued past the pending-output cap closes the client, even with backpressure out of the way")
    func pendingOutputCap() async throws {
        let outcome = try await Self.floodNonReadingClient {
            // Watermarks so high the writer never pauses, and a stall timeout that never fires:
            // only the hard cap stands between the client and unbounded buffering.
            $0.limits.writeBufferHighWater = 1024 * Self.mebibyte
            $0.limits.writeStallTimeout = .seconds(3_600)
            $0.limits.maxPendingOutputBytes = 1 * Self.mebibyte
        }
        #expect(outcome.dropped == "pending_output_cap")
        #expect(outcome.closedByServer)
        #expect(outcome.requestsSent < Self.floodRequests, "the server kept reading from a client that does not read")
        #expect(outcome.growth < 32 * Self.mebibyte, "RSS grew by \(outcome.growth / Self.mebibyte) MiB")
    }

    // MARK: Flooding a client that never reads

    /// Requests the flooding client tries to send: 1,000 × 60 KiB requests, each answered by a
    /// ~130 KB history; unbounded, that is 60 MiB read and 130 MB of output queued.
    static let floodRequests = 1_000

    struct FloodOutcome {
        /// The reason the server gave for dropping the connection, if it did.
        var dropped: String?
        var closedByServer: Bool
        var requestsSent: Int
        /// Peak RSS growth while flooding, in bytes.
        var growth: Int
    }

    /// Connects a client that never reads and makes it send large-answer requests until its
    /// writes block or fail, then waits for the server to drop it.
    static func floodNonReadingClient(
        configure: @escaping @Sendable (inout ServerHarness.Settings) -> Void
    ) async throws -> FloodOutcome {
        let metrics = ServerMetrics()
        return try await withStore { store async throws in
            // A conversation whose history is about 130 KB of JSON.
            let conversation = try await store.createConversation(client: "local", metadata: nil)
            let long = String(repeating: "x", count: 8_000)
            _ = try await store.append(Array(repeating: NewMessage(role: .user, text: long), count: 16), to: conversation.id)
            return try await ServerHarness.run(
                responder: EchoResponder(), store: store, metrics: metrics,
                configure: {
                    $0.limits.ratePerSecond = 1_000_000
                    $0.limits.rateBurst = 1_000_000
                    configure(&$0)
                }
            ) { server async throws in
                let client = try await RawTLSClient.connect(port: server.port, reading: false)
                let request =
                    #"{"type":"history","conversation":"\#(conversation.id.rawValue)","pad":"\#(String(repeating: "p", count: 60 * 1024))"}"#
                let baseline = try #require(ProcessMemory.residentBytes())
                let peak = MemoryPeak()
                let sent = SharedCount()
                let writer = Task {
                    do {
                        for _ in 0..<floodRequests {
                            try await client.send(request)
                            sent.value.add(1, ordering: .relaxed)
                        }
                    } catch {
                        // The server closed the connection: the count so far is the answer.
                    }
                }
                let reasons = ServerMetrics.DropReason.allCases.map(\.rawValue)
                var dropped: String?
                _ = await eventually {
                    dropped = reasons.first { metrics.value(#"supportbot_connections_dropped_total{reason="\#($0)"}"#) == 1 }
                    return dropped != nil
                }
                // What the client managed to send before it reads again (which unblocks the server).
                let requestsSent = sent.value.load(ordering: .relaxed)
                let closed = dropped != nil ? await client.waitUntilClosedByServer(timeout: .seconds(30)) : false
                await client.close()
                await writer.value
                let peakBytes = await peak.stop()
                #expect(await eventually { metrics.value("supportbot_connections_open") == 0 })
                return FloodOutcome(
                    dropped: dropped, closedByServer: closed, requestsSent: requestsSent, growth: peakBytes - baseline)
            }
        }
    }
}

/// A responder that holds every "wait" message until released, so a test can keep a session
/// busy; anything else is echoed.
final class GatedResponder: ChatResponder {
    private let held = AsyncStream<Void>.makeStream()
    private let gate = AsyncStream<Void>.makeStream()

    func respond(to turn: ChatTurn, onDelta: @Sendable (String) async -> Void) async -> ChatAnswer {
        if turn.text == "wait" {
            held.continuation.yield()
            for await _ in gate.stream { break }
        }
        return ChatAnswer(text: "done: \(turn.text)", route: .canned, intent: "echo", confidence: 1)
    }

    /// Returns once a "wait" message is being held.
    func waitUntilHeld() async {
        for await _ in held.stream { return }
    }

    /// Lets every held message (and any later one) through.
    func release() {
        gate.continuation.finish()
    }
}
