// bench-postgres-store: durable message pairs per second into PostgreSQL through PostgresStore
// (group commit, seq under row locks, NOTIFY for the user message), `--writers` tasks each
// appending the same pair as bench-store to a conversation of its own, for `--seconds`.
// Prints one JSON object. Run by bench/postgres/run, next to pgbench doing the same inserts.
import Foundation
import Logging
import PostgresStore
import Store
import SupportCore

struct Options {
    var url = ""
    var writers = 64
    var seconds = 10.0
    var prepareOnly = false

    init(_ arguments: [String]) throws {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--url": url = iterator.next() ?? ""
            case "--writers": writers = Int(iterator.next() ?? "") ?? 0
            case "--seconds": seconds = Double(iterator.next() ?? "") ?? 0
            case "--prepare-only": prepareOnly = true
            default: throw BenchError("unknown argument \(argument); use --url URL --writers N --seconds S [--prepare-only]")
            }
        }
        guard !url.isEmpty, writers > 0, seconds > 0 else { throw BenchError("--url is required; writers and seconds > 0") }
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

let pair: [NewMessage] = [
    NewMessage(role: .user, text: "Hi, where is my order #100234? It was due yesterday and the tracking page shows nothing."),
    NewMessage(
        role: .bot,
        text: "Orders usually ship within 2 business days. You can follow yours from the link in the "
            + "confirmation e-mail; if it has not moved in 48 hours, reply here and an agent will check.",
        intent: "order_status", confidence: 0.93, route: "faq",
        sources: [
            SourceRef(id: "shipping-times", title: "How long does shipping take?", file: "faqs/shipping.md", score: 0.8125),
            SourceRef(id: "tracking", title: "Tracking your parcel", file: "faqs/shipping.md", score: 0.6),
        ], latencyMicros: 1500),
]

do {
    let options = try Options(CommandLine.arguments)
    var logger = Logger(label: "bench-postgres-store")
    logger.logLevel = .error
    var configuration = try PostgresStoreConfiguration(url: options.url)
    configuration.listens = false
    configuration.maximumConnections = 16
    let store = try await PostgresStore.open(configuration, logger: logger)
    if options.prepareOnly {
        await store.close()
        exit(0)
    }
    var conversations = [ConversationID]()
    for _ in 0..<options.writers {
        conversations.append(try await store.createConversation(client: "bench", metadata: nil).id)
    }
    let deadline = ContinuousClock.now + .milliseconds(Int64(options.seconds * 1000))
    let started = ContinuousClock.now
    let pairs = try await withThrowingTaskGroup(of: Int.self) { group in
        for conversation in conversations {
            group.addTask {
                var count = 0
                while ContinuousClock.now < deadline {
                    _ = try await store.append(pair, to: conversation)
                    count += 1
                }
                return count
            }
        }
        var total = 0
        for try await count in group { total += count }
        return total
    }
    let elapsed = started.duration(to: .now)
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let statistics = await store.groupCommitStatistics()
    await store.close()
    print(
        String(
            format: #"{"writers":%d,"pairs":%d,"seconds":%.3f,"pairs_per_second":%.1f,"mean_batch":%.2f}"#,
            options.writers, pairs, seconds, Double(pairs) / seconds, statistics.meanBatch))
} catch {
    FileHandle.standardError.write(Data("bench-postgres-store: \(error)\n".utf8))
    exit(1)
}
