import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension SQLiteStore {
    /// Checks a state path before the store writes anything to it: the directory and file must
    /// be writable, and an existing file must be an SQLite database whose applied migrations
    /// are all known to this binary. The existing file is only opened read-only here.
    static func preflight(path: String, configuration: Configuration) throws {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreError(.cannotOpen, "the directory of the database does not exist", path: path)
        }
        guard access(directory, W_OK) == 0 else {
            throw StoreError(
                .readOnly, "the state directory is not writable (SQLite needs to create its -wal and -shm files there)",
                path: path)
        }
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return
        }
        guard !isDirectory.boolValue else {
            throw StoreError(.cannotOpen, "the database path is a directory", path: path)
        }
        guard access(path, W_OK) == 0 else {
            throw StoreError(.readOnly, "the database file is not writable", path: path)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        guard size > 0 else { return }
        var readOnly = configuration
        readOnly.readonly = true
        // A read-only connection to a WAL database creates the -wal and -shm files it lacks and
        // cannot remove them: a refused file must be left as it was found.
        let absentSidecars = [path + "-wal", path + "-shm"].filter { !FileManager.default.fileExists(atPath: $0) }
        do {
            try check(path: path, configuration: readOnly)
        } catch {
            for sidecar in absentSidecars { try? FileManager.default.removeItem(atPath: sidecar) }
            throw StoreError.wrapping(error, operation: "open", path: path)
        }
    }

    /// The schema and page checks on a read-only connection, closed before returning.
    private static func check(path: String, configuration: Configuration) throws {
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        try queue.read { db in
            try checkSchema(db, path: path)
            try checkPages(db, path: path)
        }
    }

    /// Runs `PRAGMA quick_check` before anything is written: a damaged file would otherwise take
    /// acknowledged writes next to pages SQLite cannot read back, and fail later (in an export).
    private static func checkPages(_ db: Database, path: String) throws {
        let findings: [String]
        do {
            findings = try String.fetchAll(db, sql: "PRAGMA quick_check(5)")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT {
            findings = [error.message ?? "\(error.resultCode)"]
        }
        guard findings == ["ok"] else {
            throw StoreError(
                .corrupt,
                "the database is damaged (quick_check: \(findings.joined(separator: "; "))); refusing to write to it. Stop every process using it, keep a copy of the file, then restore it from a backup, or recover what SQLite can read (sqlite3 '\(path)' .recover | sqlite3 recovered.sqlite) and move recovered.sqlite into its place",
                path: path)
        }
    }

    /// Throws when the database holds migrations this binary does not know (a newer schema)
    /// or tables while lacking SupportBot's migration table (someone else's database).
    static func checkSchema(_ db: Database, path: String) throws {
        let migrator = StoreSchema.migrator
        if try db.tableExists("grdb_migrations") {
            let applied = try migrator.appliedIdentifiers(db)
            let unknown = applied.subtracting(migrator.migrations).sorted()
            if !unknown.isEmpty {
                throw StoreError(
                    .newerSchema,
                    "the database was migrated by a newer SupportBot (unknown migrations: \(unknown.joined(separator: ", "))); "
                        + "this binary knows \(migrator.migrations.joined(separator: ", ")). Upgrade SupportBot.",
                    path: path)
            }
            return
        }
        let tables =
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") ?? 0
        if tables > 0 {
            throw StoreError(
                .foreignSchema, "the file is an SQLite database with \(tables) tables but not a SupportBot store",
                path: path)
        }
    }
}
