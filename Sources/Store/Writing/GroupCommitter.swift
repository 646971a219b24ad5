import Foundation
import GRDB
import Logging
import SupportCore

/// Group commit in the style of PostgreSQL's `commit_delay`: appends from many tasks queue
/// here, and one drain loop commits them in shared transactions, so one fsync serves many
/// callers. Each caller resumes only after the transaction holding its messages committed.
///
/// While a transaction fsyncs, the next batch gathers. Left alone, busy writers then split
/// into two cohorts that alternate (those resumed by one commit miss the next batch). So after
/// a commit that carried at least `minSiblings` appends, the loop waits up to `maxDelay` for
/// the callers it just resumed to come back, and commits as soon as they have.
actor GroupCommitter {
    private struct Waiter {
        var append: PendingAppend
        var continuation: CheckedContinuation<[StoredMessage], any Error>
    }

    private let writer: any DatabaseWriter
    private let settings: StoreConfiguration.GroupCommit
    private let ids: MessageIDScheme
    private let path: String?
    private let logger: Logger
    private var queue: [Waiter] = []
    private var draining = false
    private var statistics = GroupCommitStatistics()
    /// The queue length the drain loop is waiting for, and how to wake it.
    private var gatherTarget: Int?
    private var gatherWaiter: CheckedContinuation<Void, Never>?
    private var gatherGeneration = 0
    /// Set when an append failed for lack of space; the next commit that succeeds checkpoints
    /// and truncates the write-ahead log, which grew while the disk was full.
    private var recoveringFromFullDisk = false

    /// The database file as opened; a commit first checks that the path still leads to it.
    private let identity: FileIdentity?

    init(
        writer: any DatabaseWriter, settings: StoreConfiguration.GroupCommit, ids: MessageIDScheme, path: String?,
        identity: FileIdentity? = nil, logger: Logger
    ) {
        self.identity = identity
        self.writer = writer
        self.settings = settings
        self.ids = ids
        self.path = path
        self.logger = logger
    }

    /// Queues `append` and returns its stored messages once their transaction has committed.
    func submit(_ append: PendingAppend) async throws -> [StoredMessage] {
        try await withCheckedThrowingContinuation { continuation in
            queue.append(Waiter(append: append, continuation: continuation))
            if let gatherTarget, queue.count >= gatherTarget {
                endGathering(generation: gatherGeneration)
            }
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    /// Counters since the store was opened.
    var currentStatistics: GroupCommitStatistics { statistics }

    private func drain() async {
        while !queue.isEmpty {
            let count = min(queue.count, settings.maxBatch)
            let batch = Array(queue.prefix(count))
            queue.removeFirst(count)
            let results = await commit(batch.map(\.append))
            statistics.transactions += 1
            statistics.appends += batch.count
            statistics.largestBatch = max(statistics.largestBatch, batch.count)
            // Before the callers resume: the first commit after a full disk also gives the
            // write-ahead log's space back.
            await noteDiskSpace(results)
            for (waiter, result) in zip(batch, results) {
                waiter.continuation.resume(with: result.mapError { $0 as any Error })
            }
            if settings.maxDelay > .zero, batch.count >= settings.minSiblings {
                await gather(until: min(queue.count + batch.count, settings.maxBatch), timeout: settings.maxDelay)
            }
        }
        draining = false
    }

    /// After a full disk, the first successful commit checkpoints the write-ahead log into the
    /// database and truncates it, so the space the log took is given back and readers are not
    /// left behind a long log.
    private func noteDiskSpace(_ results: [Result<[StoredMessage], StoreError>]) async {
        if results.contains(where: { if case .failure(let error) = $0 { error.code == .diskFull } else { false } }) {
            if !recoveringFromFullDisk { logger.error("store.disk_full", metadata: ["store.path": "\(path ?? ":memory:")"]) }
            recoveringFromFullDisk = true
            return
        }
        guard recoveringFromFullDisk, results.contains(where: { if case .success = $0 { true } else { false } }) else { return }
        recoveringFromFullDisk = false
        do {
            try await writer.writeWithoutTransaction { db in _ = try db.checkpoint(.truncate) }
            statistics.checkpointsAfterDiskFull += 1
            logger.notice("store.disk_full.recovered", metadata: ["store.path": "\(path ?? ":memory:")"])
        } catch {
            // Readers may hold the log; the regular checkpoints will catch up.
            logger.warning("store.checkpoint.failed", metadata: ["store.error": "\(error)"])
        }
    }

    /// Suspends the drain loop until the queue holds `target` appends or `timeout` passed.
    private func gather(until target: Int, timeout: Duration) async {
        guard queue.count < target else { return }
        gatherGeneration += 1
        let generation = gatherGeneration
        await withCheckedContinuation { continuation in
            gatherTarget = target
            gatherWaiter = continuation
            Task {
                try? await Task.sleep(for: timeout)
                self.endGathering(generation: generation)
            }
        }
    }

    private func endGathering(generation: Int) {
        guard generation == gatherGeneration, let waiter = gatherWaiter else { return }
        gatherTarget = nil
        gatherWaiter = nil
        waiter.resume()
    }

    /// Commits `batch` in one transaction. When that transaction fails as a whole, each append
    /// is retried in a transaction of its own so that one bad append cannot fail the others.
    private nonisolated func commit(_ batch: [PendingAppend]) async -> [Result<[StoredMessage], StoreError>] {
        if let identity, let path, let error = identity.checkStillAt(path) {
            logger.critical("store.file.replaced", metadata: ["store.path": "\(path)", "store.error": "\(error)"])
            return batch.map { _ in .failure(error) }
        }
        let ids = self.ids
        do {
            let results = try await writer.write { db in
                try MessageInserter.insert(batch, now: Date().millisSince1970, ids: ids, db: db)
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
                        try MessageInserter.insert([append], now: Date().millisSince1970, ids: ids, db: db)
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

/// How well group commit is batching: appends per transaction is the fsync saving.
public struct GroupCommitStatistics: Sendable, Hashable {
    /// Group-commit transactions run (retries of a failed batch not counted).
    public var transactions = 0
    /// `append` calls they carried.
    public var appends = 0
    /// The most appends one transaction carried.
    public var largestBatch = 0
    /// Write-ahead-log checkpoints (TRUNCATE) run by the first commit after a full disk.
    public var checkpointsAfterDiskFull = 0

    public init() {}

    /// Mean appends per transaction.
    public var meanBatch: Double { transactions == 0 ? 0 : Double(appends) / Double(transactions) }
}
