import Foundation

/// How the SQLite store trades durability for speed and how it batches writes. Every field has
/// a documented default; only the CLI decides to change them.
public struct StoreConfiguration: Sendable, Hashable {
    /// SQLite's `PRAGMA synchronous` level for the writer connection.
    public enum Synchronous: String, Sendable, Hashable, CaseIterable {
        /// Every commit is fsynced: a commit survives power loss and OS crashes. The default.
        case full
        /// Opt-in only: in WAL mode a commit survives a process crash but may roll back after
        /// a power loss or OS crash (SQLite's documented NORMAL behaviour). Faster on slow disks.
        case normal
    }

    /// Group commit: how many pending `append` calls one transaction may take at most.
    public struct GroupCommit: Sendable, Hashable {
        /// Most append requests committed in one transaction. Default 256.
        public var maxBatch: Int
        /// Like PostgreSQL's `commit_delay`: how long the writer waits for more appends before
        /// committing a batch smaller than `minBatchForImmediateCommit`. Default zero (no wait):
        /// with many concurrent writers, batches fill while the previous commit is fsyncing.
        public var maxDelay: Duration
        /// A batch at least this large commits without waiting `maxDelay` (PostgreSQL's
        /// `commit_siblings`). Default 8.
        public var minBatchForImmediateCommit: Int

        public init(maxBatch: Int = 256, maxDelay: Duration = .zero, minBatchForImmediateCommit: Int = 8) {
            self.maxBatch = max(1, maxBatch)
            self.maxDelay = maxDelay
            self.minBatchForImmediateCommit = max(1, minBatchForImmediateCommit)
        }
    }

    /// Durability of each commit. Default `.full`.
    public var synchronous: Synchronous
    /// How long a connection waits for another process's lock (a CLI purge while the server
    /// runs) before failing. Default 10 s.
    public var busyTimeout: Duration
    /// Group-commit tuning. Defaults as documented on `GroupCommit`.
    public var groupCommit: GroupCommit
    /// Concurrent read connections of a file database. Default 4.
    public var maximumReaderCount: Int
    /// Upper bound on the database size in pages (`PRAGMA max_page_count`), or nil for SQLite's
    /// own limit. Default nil. Writes beyond it fail with `StoreError.Code.diskFull`.
    public var maxPageCount: Int?

    public init(
        synchronous: Synchronous = .full,
        busyTimeout: Duration = .seconds(10),
        groupCommit: GroupCommit = GroupCommit(),
        maximumReaderCount: Int = 4,
        maxPageCount: Int? = nil
    ) {
        self.synchronous = synchronous
        self.busyTimeout = busyTimeout
        self.groupCommit = groupCommit
        self.maximumReaderCount = max(1, maximumReaderCount)
        self.maxPageCount = maxPageCount
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
