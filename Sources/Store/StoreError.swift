import Foundation

/// Why a store operation failed, with enough context (what, where) for an operator or a wire
/// error. One error type for the whole module; callers switch on `code`.
public struct StoreError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kind of failure. A closed set of documented values behind static members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable, Hashable {
            case notFound = "not_found"
            case alreadyExists = "already_exists"
            case invalidArgument = "invalid_argument"
            case notADatabase = "not_a_database"
            case corrupt
            case newerSchema = "newer_schema"
            case foreignSchema = "foreign_schema"
            case readOnly = "read_only"
            case diskFull = "disk_full"
            case cannotOpen = "cannot_open"
            case busy
            case io
            case database
            case unavailable
            case replaced
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// No such conversation, message or client (or it belongs to another client).
        public static let notFound = Code(.notFound)
        /// A client of that name exists already.
        public static let alreadyExists = Code(.alreadyExists)
        /// An argument the store cannot accept (empty name, feedback on a non-bot message, …).
        public static let invalidArgument = Code(.invalidArgument)
        /// The file at the state path is not an SQLite database.
        public static let notADatabase = Code(.notADatabase)
        /// SQLite reported corruption while reading the database.
        public static let corrupt = Code(.corrupt)
        /// The database was migrated by a newer SupportBot than this binary.
        public static let newerSchema = Code(.newerSchema)
        /// The file is an SQLite database, but not a SupportBot one.
        public static let foreignSchema = Code(.foreignSchema)
        /// The state directory or database file cannot be written.
        public static let readOnly = Code(.readOnly)
        /// The disk (or the configured page limit) is full; the transaction was rolled back.
        public static let diskFull = Code(.diskFull)
        /// The database file could not be opened (missing directory, permissions, …).
        public static let cannotOpen = Code(.cannotOpen)
        /// Another process held the database lock for longer than the configured busy timeout.
        public static let busy = Code(.busy)
        /// An I/O error from SQLite or while writing an export.
        public static let io = Code(.io)
        /// Any other database error.
        public static let database = Code(.database)
        /// The database server cannot be reached or is restarting (PostgreSQL); retry later.
        public static let unavailable = Code(.unavailable)
        /// The database file was replaced or deleted while the store had it open: writes would
        /// go to the old file, which a restart no longer sees, so none are taken.
        public static let replaced = Code(.replaced)

        /// Stable snake_case name, e.g. `disk_full`.
        public var description: String { base.rawValue }
    }

    public var code: Code
    /// Human-readable explanation.
    public var message: String
    /// The database or file path involved, when there is one.
    public var path: String?

    public init(_ code: Code, _ message: String, path: String? = nil) {
        self.code = code
        self.message = message
        self.path = path
    }

    public var description: String {
        if let path {
            return "\(code): \(message) (\(path))"
        }
        return "\(code): \(message)"
    }
}
