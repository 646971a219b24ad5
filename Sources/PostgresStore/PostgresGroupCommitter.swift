import Foundation
import Logging
import PostgresNIO
import Store
import SupportCore

/// Group commit across the connections of a node: appends from every session queue here and
/// go to PostgreSQL in shared transactions, up to `concurrentCommits` of them in flight. A
/// lone append starts a transaction at once; under load the appends that arrive while
/// transactions are in flight wait and share the next one, so one WAL flush serves many
/// callers. Each caller resumes only after the transaction holding its messages committed.
actor PostgresGroupCommitter {
    private struct Waiter {
        var append: PostgresAppend
        var continuation: CheckedContinuation<[StoredMessage], any Error>
    }

    private let client: PostgresClient
    private let configuration: PostgresStoreConfiguration
    private let logger: Logger
    private var queue: [Waiter] = []
    private var inFlight = 0
    private var statistics = GroupCommitStatistics()

    init(client: PostgresClient, configuration: PostgresStoreConfiguration, logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.logger = logger
    }

    /// Counters since the store was opened.
    var currentStatistics: GroupCommitStatistics { statistics }

    /// Queues `append` and returns its stored messages once their transaction has committed.
    func submit(_ append: PostgresAppend) async throws -> [StoredMessage] {
        try await withCheckedThrowingContinuation { continuation in
            queue.append(Waiter(append: append, continuation: continuation))
            pump()
        }
    }

    private func pump() {
        while inFlight < configuration.concurrentCommits, !queue.isEmpty {
            let count = min(queue.count, configuration.maxBatch)
            let batch = Array(queue.prefix(count))
            queue.removeFirst(count)
            inFlight += 1
            statistics.transactions += 1
            statistics.appends += batch.count
            statistics.largestBatch = max(statistics.largestBatch, batch.count)
            Task {
                let results = await self.commit(batch.map(\.append))
                self.finish(batch, results)
            }
        }
    }

    private func finish(_ batch: [Waiter], _ results: [Result<[StoredMessage], StoreError>]) {
        inFlight -= 1
        for (waiter, result) in zip(batch, results) {
            waiter.continuation.resume(with: result.mapError { $0 as any Error })
        }
        pump()
    }

    /// Commits `batch` in one transaction. When it fails as a whole for a reason other than a
    /// lost database, each append is retried alone so that one bad append cannot fail the others.
    private nonisolated func commit(_ batch: [PostgresAppend]) async -> [Result<[StoredMessage], StoreError>] {
        do {
            return try await transaction(batch)
        } catch {
            let wrapped = PostgresStore.storeError(error, operation: "append")
            guard batch.count > 1, wrapped.code != .unavailable else {
                return Array(repeating: .failure(wrapped), count: batch.count)
            }
            logger.warning(
                "store.group_commit.failed", metadata: ["store.batch": "\(batch.count)", "store.error": "\(wrapped)"])
            var results = [Result<[StoredMessage], StoreError>]()
            for append in batch {
                do {
                    results.append(try await transaction([append])[0])
                } catch {
                    results.append(.failure(PostgresStore.storeError(error, operation: "append")))
                }
            }
            return results
        }
    }

    private nonisolated func transaction(_ batch: [PostgresAppend]) async throws -> [Result<[StoredMessage], StoreError>] {
        let logger = self.logger
        let configuration = self.configuration
        let client = self.client
        return try await withDeadline(configuration.operationTimeout, timedOut: PostgresStore.timedOut("append")) {
            try await client.withConnection { connection in
                try await connection.withTransaction(logger: logger) { connection in
                    try await PostgresMessageWriter.insert(
                        batch, now: Date().millisSince1970, configuration: configuration, connection: connection,
                        logger: logger)
                }
            }
        }
    }
}

/// One caller's messages waiting for a group commit.
struct PostgresAppend: Sendable {
    var conversation: ConversationID
    var messages: [NewMessage]
}
