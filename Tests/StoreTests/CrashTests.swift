import Foundation
import GRDB
import Store
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite("Crash safety")
struct CrashTests {
    @Test("SIGKILL mid-load, 10 times: every acknowledged pair survives and the database is sound")
    func acknowledgedPairsSurviveSIGKILL() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("crash.sqlite")
        var totalAcknowledged = 0
        for round in 0..<10 {
            // Given: a writer process appending pairs from 32 tasks into 8 conversations
            let writer = try CrashWriterProcess(
                arguments: ["append", path, "32", "8"], stderrPath: directory.path("stderr-\(round).txt"))
            // When: it is killed with SIGKILL at a random moment once it has acknowledged some pairs
            let threshold = Int.random(in: 20...600)
            let deadline = ContinuousClock.now + .seconds(120)
            while writer.lines.count < threshold, writer.process.isRunning, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(2))
            }
            try await Task.sleep(for: .microseconds(Int.random(in: 0...20_000)))
            let wasRunning = writer.process.isRunning
            kill(writer.process.processIdentifier, SIGKILL)
            try await writer.waitForEndOfOutput()
            writer.process.waitUntilExit()
            let stderr = (try? String(contentsOfFile: directory.path("stderr-\(round).txt"), encoding: .utf8)) ?? ""
            #expect(wasRunning, "round \(round): the writer stopped before the kill: \(stderr)")
            #expect(writer.process.terminationReason == .uncaughtSignal)

            // Then: every acknowledged pair is in the database, consecutive, and seqs have no gaps
            let acks = writer.lines.map { $0.split(separator: " ").map(String.init) }
            #expect(acks.count >= threshold, "round \(round): \(stderr)")
            #expect(acks.allSatisfy { $0.count == 4 && $0[0] == "ack" })
            totalAcknowledged += acks.count
            let store = try SQLiteStore(path: path, logger: quietLogger())
            #expect(try await store.integrityCheck() == ["ok"])
            let rows = try await DatabaseQueue(path: path).read { db in
                try Row.fetchAll(db, sql: "SELECT id, conversation_id, seq FROM messages")
                    .map { row -> (String, (String, Int)) in (row[0], (row[1], row[2])) }
            }
            let stored = Dictionary(rows, uniquingKeysWith: { first, _ in first })
            var missing = 0
            for ack in acks where ack.count == 4 {
                guard let user = stored[ack[2]], let bot = stored[ack[3]] else {
                    missing += 1
                    continue
                }
                #expect(user.0 == ack[1] && bot.0 == ack[1])
                #expect(bot.1 == user.1 + 1)
            }
            #expect(missing == 0, "round \(round): \(missing) acknowledged pairs are missing")
            var seqs = [String: [Int]]()
            for (conversation, seq) in stored.values {
                seqs[conversation, default: []].append(seq)
            }
            for (conversation, values) in seqs {
                let gaps = zip(values.sorted(), 1...).filter { $0 != $1 }.prefix(3)
                #expect(gaps.isEmpty, "round \(round), conversation \(conversation): seq gaps at \(Array(gaps))")
            }
        }
        #expect(totalAcknowledged >= 10 * 20)
    }
}
