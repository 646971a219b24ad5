import Foundation
import GRDB
import Logging
import SupportCore

/// The conversation store on SQLite through GRDB: a `DatabasePool` in WAL mode with
/// `synchronous = FULL` (unless configured otherwise) for a state directory, or an in-memory
/// database for tests. Appends go through group commit; everything else is a plain transaction
/// on GRDB's single writer connection, so `SQLITE_BUSY` never reaches a caller.
public final class SQLiteStore: ManagedConversationStore {
    /// The database file name inside a state directory.
    public static let fileName = "supportbot.sqlite"

    /// The database file, or nil for an in-memory store.
    public let path: String?
    /// The settings the store was opened with.
    public let configuration: StoreConfiguration
    let writer: any DatabaseWriter
    let committer: GroupCommitter
    /// The database file as opened (nil in memory): writes check the path still leads to it.
    let identity: FileIdentity?
    let logger: Logger

    /// Opens (creating and migrating when needed) the database at `path`, or an in-memory
    /// database when `path` is nil.
    ///
    /// An existing file is checked read-only first: a file that is not SQLite, an SQLite file
    /// that is not SupportBot's, a schema migrated by a newer binary, or a directory or file
    /// that cannot be written each throw a `StoreError` before anything is written.
    public init(path: String?, configuration: StoreConfiguration = StoreConfiguration(), logger: Logger) throws {
        self.path = path
        self.configuration = configuration
        self.logger = logger
        let grdbConfiguration = Self.grdbConfiguration(configuration)
        let writer: any DatabaseWriter
        if let path, configuration.readOnly {
            writer = try Self.openReadOnly(path: path, configuration: grdbConfiguration)
        } else if let path {
            try Self.preflight(path: path, configuration: grdbConfiguration)
            if let warning = Self.lowDiskSpaceWarning(path: path, minimumFreeBytes: configuration.minimumFreeBytes) {
                logger.warning("store.low_disk_space", metadata: ["store.path": "\(path)", "hint": "\(warning)"])
            }
            do {
                let pool = try DatabasePool(path: path, configuration: grdbConfiguration)
                // DatabasePool switches the writer to WAL with `synchronous = NORMAL` after
                // `prepareDatabase` ran, so the configured level is applied (and checked) again.
                try pool.writeWithoutTransaction { db in
                    try Self.applySynchronous(configuration.synchronous, db: db)
                }
                writer = pool
            } catch {
                throw StoreError.wrapping(error, operation: "open", path: path)
            }
        } else {
            do {
                writer = try DatabaseQueue(configuration: grdbConfiguration)
            } catch {
                throw StoreError.wrapping(error, operation: "open in-memory database", path: nil)
            }
        }
        do {
            if !configuration.readOnly { try StoreSchema.migrator.migrate(writer) }
        } catch {
            throw StoreError.wrapping(error, operation: "migrate", path: path)
        }
        self.writer = writer
        self.identity = path.flatMap { FileIdentity(path: $0) }
        self.committer = GroupCommitter(
            writer: writer, settings: configuration.groupCommit, ids: configuration.messageIDs, path: path,
            identity: identity, logger: logger)
        logger.debug(
            "store.opened",
            metadata: ["store.path": "\(path ?? ":memory:")", "store.synchronous": "\(configuration.synchronous)"])
    }

    /// Opens the store of a state directory (`<directory>/supportbot.sqlite`), creating the
    /// directory when it does not exist.
    public static func open(
        directory: URL, configuration: StoreConfiguration = StoreConfiguration(), logger: Logger
    ) throws -> SQLiteStore {
        var isDirectory: ObjCBool = false
        if !FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory) {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            } catch {
                throw StoreError(.cannotOpen, "cannot create the state directory: \(error)", path: directory.path)
            }
        } else if !isDirectory.boolValue {
            throw StoreError(.cannotOpen, "the state path is not a directory", path: directory.path)
        }
        return try SQLiteStore(
            path: directory.appendingPathComponent(fileName).path, configuration: configuration, logger: logger)
    }

    /// The migration names this binary knows, oldest first.
    public static var knownMigrations: [String] { StoreSchema.knownMigrations }

    /// The migrations applied to this database, oldest first.
    public func appliedMigrations() async throws -> [String] {
        try await read("read migrations") { db in try StoreSchema.migrator.appliedMigrations(db) }
    }

    /// The result of `PRAGMA integrity_check`: `["ok"]` for a sound database.
    public func integrityCheck() async throws -> [String] {
        try await read("integrity check") { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
    }

    /// The writer connection's `PRAGMA synchronous` level as SQLite reports it (2 = FULL).
    public func synchronousLevel() async throws -> Int {
        try await write("read synchronous") { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1 }
    }

    /// Group-commit counters since the store was opened (for metrics and benchmarks).
    public func groupCommitStatistics() async -> GroupCommitStatistics {
        await committer.currentStatistics
    }

    public var location: String { path ?? ":memory:" }

    public func exportTranscripts(_ request: ExportRequest, to sink: some TranscriptSink) async throws -> ExportSummary {
        try await exporter.export(request, to: sink)
    }

    /// Nothing to flush: every append returned after its commit. GRDB closes the connections
    /// when the store is released.
    public func close() async {}

    /// The transcript exporter reading this store.
    public var exporter: TranscriptExporter {
        TranscriptExporter(reader: writer, path: path)
    }

    // MARK: Helpers for the extensions

    /// Runs `body` in a read transaction, mapping errors to `StoreError`.
    func read<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do {
            return try await writer.read(body)
        } catch {
            throw StoreError.wrapping(error, operation: operation, path: path)
        }
    }

    /// Runs `body` in a write transaction, mapping errors to `StoreError`.
    func write<T: Sendable>(_ operation: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        if let identity, let path, let error = identity.checkStillAt(path) {
            logger.critical("store.file.replaced", metadata: ["store.path": "\(path)", "store.error": "\(error)"])
            throw error
        }
        do {
            return try await writer.write(body)
        } catch {
            throw StoreError.wrapping(error, operation: operation, path: path)
        }
    }

    // MARK: Opening

    private static func grdbConfiguration(_ configuration: StoreConfiguration) -> Configuration {
        var grdb = Configuration()
        grdb.label = "SupportBot.Store"
        grdb.busyMode = .timeout(configuration.busyTimeout.seconds)
        grdb.maximumReaderCount = configuration.maximumReaderCount
        let synchronous = configuration.synchronous
        let maxPageCount = configuration.maxPageCount
        let autocheckpoint = configuration.walAutocheckpointPages
        grdb.prepareDatabase { db in
            if db.configuration.readonly { return }
            try applySynchronous(synchronous, db: db)
            try db.execute(sql: "PRAGMA wal_autocheckpoint = \(autocheckpoint)")
            if let maxPageCount {
                try db.execute(sql: "PRAGMA max_page_count = \(maxPageCount)")
            }
        }
        return grdb
    }

    private static func applySynchronous(_ level: StoreConfiguration.Synchronous, db: Database) throws {
        let expected = level == .full ? 2 : 1
        try db.execute(sql: "PRAGMA synchronous = \(expected)")
        let actual = try Int.fetchOne(db, sql: "PRAGMA synchronous")
        guard actual == expected else {
            throw StoreError(.database, "SQLite refused PRAGMA synchronous = \(level)")
        }
    }
}
