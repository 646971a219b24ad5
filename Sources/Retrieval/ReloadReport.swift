import Content

/// What one reload of the live folder did, for logs, the CLI and tests.
public struct ReloadReport: Sendable {
    /// Entries served after the reload.
    public var entries: Int
    /// FAQ files in the folder (ignored names excluded).
    public var files: Int
    /// Files added, changed (including ones that now fail to parse) or removed since the last reload.
    public var filesChanged: Int
    /// Every file that currently fails to load; each keeps serving its last good version.
    public var errors: [ContentError]
    /// Whether a new index was published.
    public var swapped: Bool
    /// Time from the start of the scan to the swap.
    public var duration: Duration

    public init(entries: Int, files: Int, filesChanged: Int, errors: [ContentError], swapped: Bool, duration: Duration) {
        self.entries = entries
        self.files = files
        self.filesChanged = filesChanged
        self.errors = errors
        self.swapped = swapped
        self.duration = duration
    }
}
