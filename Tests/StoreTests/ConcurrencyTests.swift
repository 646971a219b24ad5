import Foundation
import Store
import SupportCore
import TestSupport
import Testing

@Suite("Concurrent writers")
struct ConcurrencyTests {
    struct Acknowledged: Sendable {
        var task: Int
        var round: Int
        var messages: [StoredMessage]
    }

    @Test("64 concurrent writers keep every conversation's seq ordered and gap-free", arguments: MessageIDScheme.allCases)
    func concurrentWritersKeepOrder(ids: MessageIDScheme) async throws {
        // Given: a file store (WAL, FULL) and 8 conversations
        let directory = try TemporaryDirectory()
        let store = try SQLiteStore(
            path: directory.path("db.sqlite"), configuration: StoreConfiguration(messageIDs: ids), logger: quietLogger())
        var conversations = [ConversationID]()
        for index in 0..<8 {
            conversations.append(try await store.createConversation(client: "c\(index % 3)", metadata: nil).id)
        }
        let targets = conversations
        // When: 64 tasks each append 30 pairs, spread over the conversations
        let acknowledged = try await withThrowingTaskGroup(of: [Acknowledged].self) { group in
            for task in 0..<64 {
                group.addTask {
                    var mine = [Acknowledged]()
                    for round in 0..<30 {
                        let conversation = targets[(task * 7 + round) % targets.count]
                        let stored = try await store.append(
                            pair("t\(task) r\(round)", "reply t\(task) r\(round)"), to: conversation)
                        mine.append(Acknowledged(task: task, round: round, messages: stored))
                    }
                    return mine
                }
            }
            return try await group.reduce(into: [Acknowledged]()) { $0 += $1 }
        }
        // Then: each pair is consecutive, and per conversation the seqs are exactly 1...n
        #expect(acknowledged.count == 64 * 30)
        for ack in acknowledged {
            #expect(ack.messages.count == 2)
            #expect(ack.messages[1].seq == ack.messages[0].seq + 1)
            #expect(ack.messages[0].text == "t\(ack.task) r\(ack.round)")
        }
        var total = 0
        for conversation in targets {
            let stored = try await store.messages(conversation: conversation)
            total += stored.count
            let gaps = zip(stored.map(\.seq), 1...).filter { $0 != $1 }.prefix(3)
            #expect(gaps.isEmpty, "conversation \(conversation): seq gaps at \(Array(gaps))")
            let acked = Set(acknowledged.flatMap(\.messages).filter { $0.conversation == conversation }.map(\.id))
            let storedIDs = Set(stored.map(\.id))
            #expect(acked.subtracting(storedIDs).isEmpty, "acknowledged but missing: \(acked.subtracting(storedIDs).count)")
            #expect(storedIDs.subtracting(acked).isEmpty, "stored but never acknowledged: \(storedIDs.subtracting(acked).count)")
            // And: one task's appends to a conversation appear in the order it made them
            for task in 0..<64 {
                let seqs = acknowledged.filter { $0.task == task && $0.messages[0].conversation == conversation }
                    .sorted { $0.round < $1.round }.map { $0.messages[0].seq }
                #expect(seqs == seqs.sorted())
            }
        }
        #expect(total == 64 * 30 * 2)
        #expect(try await store.integrityCheck() == ["ok"])
    }

    @Test("reads run while writers commit")
    func readsDuringWrites() async throws {
        let directory = try TemporaryDirectory()
        let store = try SQLiteStore(path: directory.path("db.sqlite"), logger: quietLogger())
        let conversation = try await store.createConversation(client: "a", metadata: nil).id
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for round in 0..<20 {
                        _ = try await store.append(pair("t\(task) r\(round)", "ok"), to: conversation)
                    }
                }
            }
            group.addTask {
                var previous = 0
                for _ in 0..<50 {
                    let seqs = try await store.messages(conversation: conversation).map(\.seq)
                    #expect(seqs == Array(0..<seqs.count).map { $0 + 1 })
                    #expect(seqs.count >= previous)
                    previous = seqs.count
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.messages(conversation: conversation).count == 8 * 20 * 2)
    }

    @Test("two stores on one file (a server and a CLI) write at once without SQLITE_BUSY")
    func twoWritersOnOneFile() async throws {
        // Given: two independent stores, each with its own writer connection, on one database
        let directory = try TemporaryDirectory()
        let path = directory.path("db.sqlite")
        let server = try SQLiteStore(path: path, logger: quietLogger())
        let cli = try SQLiteStore(path: path, logger: quietLogger())
        let live = try await server.createConversation(client: "a", metadata: nil).id
        // When: one appends from 16 tasks while the other creates, ends and purges conversations
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<16 {
                group.addTask {
                    for round in 0..<20 {
                        _ = try await server.append(pair("t\(task) r\(round)", "ok"), to: live)
                    }
                }
            }
            group.addTask {
                for _ in 0..<30 {
                    let old = try await cli.createConversation(client: "b", metadata: nil).id
                    _ = try await cli.append(pair("bye", "ok"), to: old)
                    _ = try await cli.setStatus(.ended, conversation: old)
                    _ = try await cli.purge(olderThan: Date().addingTimeInterval(60), batchSize: 5)
                }
            }
            try await group.waitForAll()
        }
        // Then: nothing failed, and every append of the live conversation is there in order
        #expect(try await cli.messages(conversation: live).map(\.seq) == Array(1...(16 * 20 * 2)))
        #expect(try await server.conversations(status: .ended).isEmpty)
    }
}
