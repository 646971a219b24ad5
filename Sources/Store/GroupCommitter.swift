import Foundation
import GRDB
import Logging

/// Group commit in the style of PostgreSQL's `commit_delay`: appends from many tasks queue
/// here, and one drain loop commits them in shared transactions, so one fsync serves many
/// callers. Each caller resumes only after the transaction holding its messages committed.
actor GroupCommitter {
    private struct Waiter {
        var append: PendingAppend
        var continuation: CheckedContinuation<[StoredMessage], any Error>
    }

    private let writer: any DatabaseWriter
    private let settings: StoreConfiguration.GroupCommit
    private let path: String?
    private let logger: Logger
    private var queue: [Waiter] = []
    private var draining = false

    init(writer: any DatabaseWriter, settings: StoreConfiguration.GroupCommit, path: String?, logger: Logger) {
        self.writer = writer
        self.settings = settings
        self.path = path
        self.logger = logger
    }

    /// Queues `append` and returns its stored messages once their transaction has committed.
    func submit(_ append: PendingAppend) async throws -> [StoredMessage] {
        try await withCheckedThrowingContinuation { continuation in
            queue.append(Waiter(append: append, continuation: continuation))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            if settings.maxDelay > .zero, queue.count < settings.minBatchForImmediateCommit {
                try? await Task.sleep(for: settings.maxDelay)
            }
            let count = min(queue.count, settings.maxBatch)
            let batch = Array(queue.prefix(count))
            queue.removeFirst(count)
            let results = await commit(batch.map(\.append))
            for (waiter, result) in zip(batch, results) {
                waiter.continuation.resume(with: result.mapError { $0 as any Error })
            }
        }
        draining = false
    }

    /// Commits `batch` in one transaction. When that transaction fails as a whole, each append
    /// is retried in a transaction of its own so that one bad append cannot fail the others.
    private nonisolated func commit(_ batch: [PendingAppend]) async -> [Result<[StoredMessage], StoreError>] {
        do {
            let results = try await writer.write { db in
                try MessageInserter.insert(batch, now: Date().millisSince1970, db: db)
            }
            logger.trace("store.group_commit", metadata: ["store.batch": "\(batch.count)"])
            return results
        } catch {
            let wrapped = StoreError.wrapping(error, operation: "append", path: path)
            guard batch.count > 1 else { return [.failure(wrapped)] }
            logger.warning(
                "store.group_commit.failed", metadata: ["store.batch": "\(batch.count)", "store.error": "\(wrapped)"])
            var results = [Result<[StoredMessage], StoreError>]()
            for append in batch {
                do {
                    let single = try await writer.write { db in
                        try MessageInserter.insert([append], now: Date().millisSince1970, db: db)
                    }
                    results.append(single[0])
                } catch {
                    results.append(.failure(StoreError.wrapping(error, operation: "append", path: path)))
                }
            }
            return results
        }
    }
}
