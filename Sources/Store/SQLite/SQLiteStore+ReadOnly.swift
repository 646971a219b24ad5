import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension SQLiteStore {
    /// Opens an existing database for reading only (`StoreConfiguration.readOnly`). In a folder
    /// the process may write, SQLite reads the database and its write-ahead log as usual. In a
    /// read-only folder without the shared-memory file SQLite would need to create, the file is
    /// opened as immutable, which is exact only when there is no write-ahead log to replay: a
    /// non-empty `-wal` there is refused, saying to copy the folder somewhere writable.
    static func openReadOnly(path: String, configuration: Configuration) throws -> DatabaseQueue {
        guard FileManager.default.fileExists(atPath: path) else {
            throw StoreError(.cannotOpen, "there is no database file to read", path: path)
        }
        var readOnly = configuration
        readOnly.readonly = true
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        var openPath = path
        if access(directory, W_OK) != 0, !FileManager.default.fileExists(atPath: path + "-shm") {
            let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            guard wal == 0 else {
                throw StoreError(
                    .readOnly,
                    "the folder is read-only and holds a write-ahead log (\(path)-wal) that SQLite cannot read without writing; copy the state folder somewhere writable and run the command on the copy",
                    path: path)
            }
            guard try uriFilenamesSupported(), let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed)
            else {
                throw StoreError(
                    .readOnly,
                    "the folder is read-only and this SQLite cannot open files as immutable; copy the state folder somewhere writable and run the command on the copy",
                    path: path)
            }
            openPath = "file:\(encoded)?immutable=1"
        }
        do {
            let queue = try DatabaseQueue(path: openPath, configuration: readOnly)
            try queue.read { db in
                try checkSchema(db, path: path)
                let applied = try StoreSchema.migrator.appliedIdentifiers(db)
                let missing = Set(StoreSchema.knownMigrations).subtracting(applied).sorted()
                guard missing.isEmpty else {
                    throw StoreError(
                        .readOnly,
                        "the database needs migrations this read-only open cannot apply (\(missing.joined(separator: ", "))); run the command once on a writable copy",
                        path: path)
                }
            }
            return queue
        } catch {
            throw StoreError.wrapping(error, operation: "open read-only", path: path)
        }
    }

    /// What to tell the operator when the file system holding `path` has less than
    /// `minimumFreeBytes` available to this process, or nil when there is room (or it cannot be
    /// told).
    public static func lowDiskSpaceWarning(path: String, minimumFreeBytes: Int64) -> String? {
        var stats = statvfs()
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard statvfs(directory, &stats) == 0 else { return nil }
        let available = Int64(stats.f_bavail) * Int64(stats.f_frsize)
        guard available < minimumFreeBytes else { return nil }
        let mebibytes = { (bytes: Int64) in String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
        return
            "only \(mebibytes(available)) free where the database is (\(directory)), less than the \(mebibytes(minimumFreeBytes)) a write may need; free space there, or messages will be answered with unavailable once the disk is full"
    }

    /// Whether this SQLite interprets `file:` URIs in plain file names (compiled with
    /// `SQLITE_USE_URI`, as Debian's is).
    private static func uriFilenamesSupported() throws -> Bool {
        try DatabaseQueue().read { db in try String.fetchAll(db, sql: "PRAGMA compile_options") }.contains("USE_URI")
    }
}
