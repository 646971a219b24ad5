/// What one pass over `faqs/` produced: the entries of every good file, the problems of the
/// broken ones, and a fingerprint of each file read, so a watcher can tell what changed and keep
/// serving a broken file's last good version.
public struct FAQLoadResult: Sendable, Hashable {
    /// Entries of the files that parsed, ordered by file path then position in the file.
    public var entries: [FAQEntry]
    /// One error per file that could not be read or parsed.
    public var errors: [ContentError]
    /// Path inside `faqs/` → hex SHA-256 of the file's bytes, for every file read (including
    /// ones that failed to parse; not files refused unread as too large).
    public var files: [String: String]

    public init(entries: [FAQEntry] = [], errors: [ContentError] = [], files: [String: String] = [:]) {
        self.entries = entries
        self.errors = errors
        self.files = files
    }
}
