import ArgumentParser
import Foundation
import Store

/// `supportbot check`: a full integrity check of the SQLite conversation store on demand
/// (`serve` runs the quicker `PRAGMA quick_check` at every start).
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every page and index of the SQLite conversation store (PRAGMA integrity_check); exit 1 if damaged."
    )

    @OptionGroup var database: DatabaseOptions

    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let findings: [String]? = try await database.withStore(mustExist: true, readsOnly: true, logger: logging.makeLogger()) {
            store in
            guard let sqlite = store as? SQLiteStore else { return nil }
            do {
                return try await sqlite.integrityCheck()
            } catch {
                throw CLIError("the integrity check could not run: \(error)")
            }
        }
        guard let findings else {
            Terminal.note("the store is on PostgreSQL, which checks its own pages (data checksums, amcheck); nothing to do here")
            return
        }
        guard findings == ["ok"] else {
            throw CLIError(
                "the database is damaged (integrity_check: \(findings.prefix(10).joined(separator: "; "))). Stop every process using it, keep a copy of the file, then restore it from a backup, or recover what SQLite can read (sqlite3 supportbot.sqlite .recover | sqlite3 recovered.sqlite) and move recovered.sqlite into its place"
            )
        }
        Terminal.note("ok: integrity_check found no problem")
    }
}
