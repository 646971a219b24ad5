import Foundation
import PostgresNIO
import PostgresStore
import PostgresTestSupport
import Server
import ServerTestSupport
import SupportCore
import Synchronization
import TestSupport
import Testing

/// Two servers ("nodes") on one PostgreSQL database, each with its own store, conversation
/// service and change feed, as two `supportbot serve --database postgres://…` processes run.
@Suite("Several nodes on one PostgreSQL database", .enabled(if: TestPostgres.isEnabled), .timeLimit(.minutes(3)))
struct MultiNodeTests {
    @Test("a customer on one node and an agent on the other hear each other, both ways, and the bot stays out")
    func customerAndAgentOnDifferentNodes() async throws {
        let base = try await TestPostgres.freshDatabase(listens: true)
        var configurationA = base
        configurationA.nodeID = "node-a"
        var configurationB = base
        configurationB.nodeID = "node-b"
        let storeA = try await PostgresStore.open(configurationA, logger: TestPostgres.quiet)
        let storeB = try await PostgresStore.open(configurationB, logger: TestPostgres.quiet)
        let tokens = HandoffTokens(
            customer: try await storeA.createClient(name: "alice", role: .customer),
            agent: try await storeB.createClient(name: "sam", role: .agent))
        let responder = RecordingResponder()
        try await ServerHarness.run(responder: responder, store: storeA, feed: storeA, configure: { $0.requireAuth = true }) {
            nodeA async throws in
            try await ServerHarness.run(responder: responder, store: storeB, feed: storeB, configure: { $0.requireAuth = true }) {
                nodeB async throws in
                try await nodeA.withConnection { customer async throws in
                    try await customer.hello(tokens.customer, as: "alice")
                    // Given: an open conversation on node A, answered by the bot
                    let conversation = try await customer.say("my tent pole snapped")
                    try await nodeB.withConnection { agent async throws in
                        // When: an agent on node B joins it and writes
                        try await agent.hello(tokens.agent, as: "sam")
                        let joined = try await agent.request(["type": "join", "conversation": conversation])
                        #expect((joined["messages"] as? [[String: Any]])?.count == 2)
                        let sent = try await agent.request([
                            "type": "agent_message", "conversation": conversation, "text": "Sam here, from node B.",
                        ])
                        #expect(sent["type"] as? String == "sent")

                        // Then: the customer on node A is pushed the agent's words
                        let pushed = try await customer.response()
                        #expect(pushed["type"] as? String == "reply")
                        #expect(pushed["route"] as? String == "agent")
                        #expect(pushed["agent"] as? String == "sam")
                        #expect(pushed["text"] as? String == "Sam here, from node B.")
                        #expect(pushed["message"] as? String == sent["message"] as? String)

                        // And: node A knows the conversation is a person's now, so the bot stays out
                        let next = try await customer.request(["type": "message", "text": "thanks, Sam"])
                        #expect(next["route"] as? String == "handoff")

                        // And: the agent on node B is pushed the customer's message
                        let heard = try await agent.response()
                        #expect(heard["type"] as? String == "customer")
                        #expect(heard["conversation"] as? String == conversation)
                        #expect(heard["text"] as? String == "thanks, Sam")

                        // When: the agent ends it on node B, the customer on node A is told
                        let ended = try await agent.request(["type": "end", "conversation": conversation])
                        #expect(ended["type"] as? String == "ended")
                        let told = try await customer.response()
                        #expect(told["type"] as? String == "ended")
                        #expect(told["conversation"] as? String == conversation)
                    }
                }
            }
        }
        #expect(responder.seen == ["my tent pole snapped"])
        await storeA.close()
        await storeB.close()
    }

    @Test("PostgreSQL crashed and restarted under load: unavailable meanwhile, no acknowledged message lost, service resumes")
    func databaseRestartUnderLoad() async throws {
        let cluster = try PrivateCluster.start()
        defer { cluster.stop() }
        var configuration = try PostgresStoreConfiguration(url: cluster.url)
        configuration.listens = true
        configuration.operationTimeout = .seconds(2)
        let store = try await PostgresStore.open(configuration, logger: TestPostgres.quiet)
        let restarted = Flag()
        let stop = Flag()
        let outcome = try await ServerHarness.run(responder: EchoResponder(), store: store, feed: store) { server async throws in
            // Four customers send messages back to back, noting what was acknowledged
            async let load = withThrowingTaskGroup(of: ClientTally.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await server.withConnection { connection async throws in
                            var tally = ClientTally()
                            var sent = 0
                            while !stop.isSet {
                                sent += 1
                                let answer = try await connection.request(["type": "message", "text": "order \(sent)"])
                                if answer["type"] as? String == "reply", let message = answer["message"] as? String {
                                    tally.acknowledged.append(message)
                                    if restarted.isSet { tally.afterRestart += 1 }
                                } else if answer["code"] as? String == "rate_limited" {
                                    try await Task.sleep(for: .milliseconds(100))
                                } else if answer["code"] as? String == "unavailable" {
                                    tally.unavailable += 1
                                    try await Task.sleep(for: .milliseconds(50))
                                } else {
                                    tally.other.append("\(answer)")
                                }
                            }
                            return tally
                        }
                    }
                }
                return try await group.reduce(into: [ClientTally]()) { $0.append($1) }
            }
            // When: the server crashes mid-load and stays down for two seconds
            try await Task.sleep(for: .milliseconds(700))
            try cluster.restart(down: 2)
            restarted.set()
            // Then: messages are answered again without restarting the node
            let resumed = await eventually(timeout: .seconds(60)) {
                try? await Task.sleep(for: .milliseconds(200))
                return (try? await store.hasActiveTokens()) != nil
            }
            try await Task.sleep(for: .seconds(2))
            stop.set()
            return (resumed, try await load)
        }
        let tallies = outcome.1
        #expect(outcome.0)
        let others = tallies.flatMap(\.other)
        #expect(others.isEmpty, "\(others.prefix(3))")
        #expect(tallies.map(\.afterRestart).reduce(0, +) > 0, "no message was answered after the restart")
        #expect(tallies.map(\.unavailable).reduce(0, +) > 0, "the outage was never noticed")
        // And: every acknowledged reply is in the database, read by a fresh node
        var fresh = configuration
        fresh.listens = false
        let reader = try await PostgresStore.open(fresh, logger: TestPostgres.quiet)
        let acknowledged = tallies.flatMap(\.acknowledged)
        var missing = 0
        for id in acknowledged {
            if try await reader.message(id: try #require(MessageID(rawValue: id))) == nil { missing += 1 }
        }
        #expect(missing == 0, "\(missing) of \(acknowledged.count) acknowledged replies are missing")
        await reader.close()
        await store.close()
    }
}

/// What one load client saw.
struct ClientTally: Sendable {
    var acknowledged: [String] = []
    var unavailable = 0
    var afterRestart = 0
    var other: [String] = []
}

/// A flag one task sets and others read.
final class Flag: Sendable {
    private let value = Atomic<Bool>(false)
    var isSet: Bool { value.load(ordering: .acquiring) }
    func set() { value.store(true, ordering: .releasing) }
}

@Suite("A node's change feed cut off and resumed", .enabled(if: TestPostgres.isEnabled), .timeLimit(.minutes(2)))
struct FeedResumeTests {
    @Test("after its listening connection is killed, a node catches up: the customer gets every agent message once, in order")
    func listenerKilledThenCaughtUp() async throws {
        let base = try await TestPostgres.freshDatabase(listens: true)
        var configurationA = base
        configurationA.nodeID = "resume-a"
        configurationA.reconnectDelay = .milliseconds(300)
        var configurationB = base
        configurationB.nodeID = "resume-b"
        let storeA = try await PostgresStore.open(configurationA, logger: TestPostgres.quiet)
        let storeB = try await PostgresStore.open(configurationB, logger: TestPostgres.quiet)
        let tokens = HandoffTokens(
            customer: try await storeA.createClient(name: "alice", role: .customer),
            agent: try await storeB.createClient(name: "sam", role: .agent))
        try await ServerHarness.run(
            responder: RecordingResponder(), store: storeA, feed: storeA, configure: { $0.requireAuth = true }
        ) {
            nodeA async throws in
            try await ServerHarness.run(
                responder: RecordingResponder(), store: storeB, feed: storeB, configure: { $0.requireAuth = true }
            ) {
                nodeB async throws in
                try await nodeA.withConnection { customer async throws in
                    try await customer.hello(tokens.customer, as: "alice")
                    let conversation = try await customer.say("human")
                    try await nodeB.withConnection { agent async throws in
                        try await agent.hello(tokens.agent, as: "sam")
                        _ = try await agent.request(["type": "join", "conversation": conversation])
                        // When: node A's listening connection is killed by the server, and the agent
                        // writes while node A reconnects (300 ms backoff) and after
                        try await terminateListener(of: "resume-a", url: base)
                        var sent = [String]()
                        for index in 1...6 {
                            let reply = try await agent.request([
                                "type": "agent_message", "conversation": conversation, "text": "note \(index)",
                            ])
                            sent.append(try #require(reply["message"] as? String))
                            try await Task.sleep(for: .milliseconds(100))
                        }
                        // Then: the customer receives each message exactly once, in order
                        var received = [String]()
                        for _ in 1...6 {
                            let pushed = try await customer.response()
                            received.append(pushed["message"] as? String ?? "\(pushed)")
                        }
                        #expect(received == sent)
                        try await customer.expectNothingPending()
                    }
                }
            }
        }
        await storeA.close()
        await storeB.close()
    }

    /// Ends the `LISTEN` connection of node `node` from the server side, as a database restart would.
    private func terminateListener(of node: String, url configuration: PostgresStoreConfiguration) async throws {
        let connection = try await PostgresConnection.connect(
            configuration: PostgresConnection.Configuration(
                host: configuration.host, port: configuration.port, username: configuration.username, password: nil,
                database: configuration.database, tls: .disable),
            id: 1, logger: TestPostgres.quiet)
        var terminated = 0
        do {
            let rows = try await connection.query(
                """
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE application_name = \("supportbot-" + node + "-listener")
                """, logger: TestPostgres.quiet)
            for try await done in rows.decode(Bool.self) where done { terminated += 1 }
        } catch {
            try? await connection.close()
            throw error
        }
        try await connection.close()
        #expect(terminated == 1, "no listening connection of \(node) found")
    }
}
