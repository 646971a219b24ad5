import Foundation
import Server
import ServerTestSupport
import Store
import SupportCore
import Synchronization
import TestSupport
import Testing

@Suite("Graceful shutdown over real TLS")
struct ShutdownTests {
    /// What one load client saw: the replies it was given and how the connection ended.
    struct ClientRecord: Sendable {
        var replies: [(conversation: String, message: String)] = []
        var byeReason: String?
    }

    @Test("shutdown during load loses no acknowledged message, and every JSON client gets bye")
    func noAcknowledgedMessageLost() async throws {
        let connections = 8
        let replies = SharedCount()
        try await withStore { store async throws in
            let records = try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.limits.ratePerSecond = 1_000_000
                    $0.limits.rateBurst = 1_000_000
                }
            ) { server async throws in
                try await withThrowingTaskGroup(of: ClientRecord.self) { group in
                    // Given clients sending messages back to back
                    for client in 0..<connections {
                        group.addTask {
                            try await server.withConnection { connection async throws in
                                try await Self.sendUntilBye(connection, client: client, replies: replies)
                            }
                        }
                    }
                    // When the server is told to shut down in the middle of the load
                    let loaded = await eventually { replies.value.load(ordering: .relaxed) >= connections * 5 }
                    #expect(loaded)
                    await server.triggerGracefulShutdown()
                    var records: [ClientRecord] = []
                    for try await record in group { records.append(record) }
                    return records
                }
            }

            // Then every client was told bye, and every reply a client got is in the store
            #expect(records.count == connections)
            #expect(records.allSatisfy { $0.byeReason == "shutdown" })
            let acknowledged = records.flatMap(\.replies)
            #expect(acknowledged.count >= connections * 5)
            var missing: [String] = []
            for conversation in Set(acknowledged.map(\.conversation)) {
                let id = try #require(ConversationID(rawValue: conversation))
                let stored = Set(try await store.messages(conversation: id).filter { $0.role == .bot }.map(\.id.rawValue))
                missing += acknowledged.filter { $0.conversation == conversation && !stored.contains($0.message) }.map(\.message)
            }
            #expect(missing.isEmpty, "acknowledged but not stored: \(missing)")
        }
    }

    /// Sends messages one after another until the server says `bye`; records every reply.
    static func sendUntilBye(_ connection: LineConnection, client: Int, replies: SharedCount) async throws -> ClientRecord {
        var record = ClientRecord()
        var sequence = 0
        while record.byeReason == nil {
            sequence += 1
            do {
                try await connection.send(#"{"type":"message","id":\#(sequence),"text":"client \#(client) message \#(sequence)"}"#)
            } catch {
                // The server may have closed already; its bye is still there to read.
            }
            guard let line = try await connection.readLine() else { return record }
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            switch object["type"] as? String {
            case "reply":
                record.replies.append((object["conversation"] as! String, object["message"] as! String))
                replies.value.add(1, ordering: .relaxed)
            case "bye":
                record.byeReason = object["reason"] as? String
            default:
                Issue.record("unexpected response \(line)")
                return record
            }
        }
        #expect(try await connection.readLine() == nil)
        return record
    }
}
