import Foundation
import Logging
import PostgresStore
import Store

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which database holds the conversations: an SQLite file (one node, the default) or a
/// PostgreSQL server shared by several nodes. The CLI's `--database` is parsed here.
public enum DatabaseLocation: Sendable, Hashable {
    /// The SQLite database file (`<state>/supportbot.sqlite` unless `sqlite:PATH` names another).
    case sqlite(path: String)
    /// A PostgreSQL database, from a `postgres://` URL.
    case postgres(PostgresStoreConfiguration)

    /// The SQLite file of a state folder: what serving without `--database` uses.
    public static func stateFolder(_ directory: URL) -> DatabaseLocation {
        .sqlite(path: directory.appendingPathComponent(SQLiteStore.fileName).path)
    }

    /// Parses `--database`: `sqlite:PATH` or `postgres://user[:password]@host[:port]/db[?sslmode=…]`.
    /// Throws an `ApplicationError` saying which forms are accepted.
    public static func parse(_ text: String) throws -> DatabaseLocation {
        if text.hasPrefix("sqlite:") {
            let path = String(text.dropFirst("sqlite:".count))
            guard !path.isEmpty else {
                throw ApplicationError("--database sqlite: needs a file path, e.g. sqlite:state/supportbot.sqlite")
            }
            return .sqlite(path: path)
        }
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            do {
                return .postgres(try PostgresStoreConfiguration(url: text))
            } catch {
                throw ApplicationError("--database: \(error)")
            }
        }
        throw ApplicationError(
            "--database must be sqlite:PATH or postgres://user:password@host:5432/database, not '\(text.prefix(80))'")
    }

    /// Where the data lives, without a password.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let configuration): configuration.redactedURL
        }
    }

    /// Opens the store. `sqlite` applies to an SQLite file (created with its folder when
    /// missing, unless `mustExist`); `listens` makes a PostgreSQL store follow other nodes'
    /// changes (the server), which the one-shot commands do not need. `readsOnly` (exports,
    /// listings, reports) opens an SQLite file read-only when the process cannot write it or its
    /// folder (a read-only copy of a state folder), instead of refusing it.
    public func open(
        sqlite: StoreConfiguration = StoreConfiguration(), mustExist: Bool = false, listens: Bool = false,
        readsOnly: Bool = false, logger: Logger
    ) async throws -> any ManagedConversationStore {
        switch self {
        case .sqlite(let path):
            let url = URL(fileURLWithPath: path)
            if readsOnly, FileManager.default.fileExists(atPath: path),
                access(url.deletingLastPathComponent().path, W_OK) != 0 || access(path, W_OK) != 0
            {
                var readOnly = sqlite
                readOnly.readOnly = true
                do {
                    return try SQLiteStore(path: path, configuration: readOnly, logger: logger)
                } catch {
                    throw ApplicationError("cannot open the conversation store \(path) read-only: \(error)")
                }
            }
            if mustExist, !FileManager.default.fileExists(atPath: path) {
                throw ApplicationError(
                    "no conversation store at \(path); pass the --state or --database that 'supportbot serve' uses")
            }
            do {
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                return try SQLiteStore(path: path, configuration: sqlite, logger: logger)
            } catch {
                throw ApplicationError("cannot open the conversation store \(path): \(error)")
            }
        case .postgres(var configuration):
            configuration.listens = listens
            configuration.messageIDs = sqlite.messageIDs
            do {
                return try await PostgresStore.open(configuration, logger: logger)
            } catch {
                throw ApplicationError(
                    "cannot open the conversation store \(configuration.redactedURL): \(error); check that PostgreSQL runs there and the user may connect"
                )
            }
        }
    }
}
