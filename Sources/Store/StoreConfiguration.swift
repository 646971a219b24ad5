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

    /// Group commit: how many appends one transaction may carry and how long the writer waits
    /// for more (PostgreSQL's `commit_delay` and `commit_siblings`).
    public struct GroupCommit: Sendable, Hashable {
        /// Most append requests committed in one transaction. Default 256.
        public var maxBatch: Int
        /// After a commit that carried at least `minSiblings` appends, how long the writer waits
        /// for the callers it just resumed to append again before committing the next batch.
        /// The wait ends as soon as they are back, so under load it costs microseconds and
        /// doubles the batch size; with one writer it never happens. Default 1 ms; zero
        /// disables it.
        public var maxDelay: Duration
        /// The smallest batch after which the writer waits (`commit_siblings`). Default 2.
        public var minSiblings: Int

        public init(maxBatch: Int = 256, maxDelay: Duration = .milliseconds(1), minSiblings: Int = 2) {
            self.maxBatch = max(1, maxBatch)
            self.maxDelay = maxDelay
            self.minSiblings = max(1, minSiblings)
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
    /// WAL size, in pages, at which a commit checkpoints the WAL into the database
    /// (`PRAGMA wal_autocheckpoint`). Default 10,000 (about 40 MB): SQLite's 1,000 makes a
    /// busy writer checkpoint every few group commits, and each checkpoint fsyncs the database
    /// file inside a commit; on the development machine 10,000 nearly doubled the durable
    /// throughput of 64-pair transactions (raw SQLite, 100k-message database).
    public var walAutocheckpointPages: Int
    /// How message ids are minted. Default `.random` (128 random bits).
    public var messageIDs: MessageIDScheme
    /// Upper bound on the database size in pages (`PRAGMA max_page_count`), or nil for SQLite's
    /// own limit. Default nil. Writes beyond it fail with `StoreError.Code.diskFull`.
    public var maxPageCount: Int?
    /// Open an existing file for reading only: nothing is created, migrated or written (writes
    /// fail with `StoreError.Code.readOnly`), and a state folder the process cannot write (a
    /// read-only copy, a backup mount) can still be exported and listed. The schema must be the
    /// one this binary knows. Default false.
    public var readOnly = false
    /// Free space on the database's file system below which opening the store logs a warning
    /// (`store.low_disk_space`): writes need room for the write-ahead log as well as the
    /// database. Default 64 MiB.
    public var minimumFreeBytes: Int64 = 64 * 1024 * 1024

    public init(
        synchronous: Synchronous = .full,
        busyTimeout: Duration = .seconds(10),
        groupCommit: GroupCommit = GroupCommit(),
        maximumReaderCount: Int = 4,
        walAutocheckpointPages: Int = 10_000,
        messageIDs: MessageIDScheme = .random,
        maxPageCount: Int? = nil
    ) {
        self.synchronous = synchronous
        self.busyTimeout = busyTimeout
        self.groupCommit = groupCommit
        self.maximumReaderCount = max(1, maximumReaderCount)
        self.walAutocheckpointPages = max(0, walAutocheckpointPages)
        self.messageIDs = messageIDs
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
