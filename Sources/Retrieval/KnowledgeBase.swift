import Content
import Encoder
import Foundation
import Logging
import Synchronization

/// The live `faqs/` folder: owns the current `FAQIndex` and replaces it whole whenever files are
/// added, changed, renamed or deleted. Reloads are incremental (only changed files are read,
/// parsed, analyzed and embedded), a file that fails to parse keeps serving its last good version,
/// and queries read `current` without ever waiting for a reload.
public actor KnowledgeBase {
    /// What is known about one file: its last stamp and content hash, the entries of its last good
    /// version, and its current error, if any.
    struct FileRecord {
        var stamp: DirectoryWatcher.FileStamp
        var hash: ContentHash
        var prepared: [PreparedEntry]
        var error: ContentError?
        /// The file was read so soon after its last write that a second write in the same
        /// file-system clock tick (a few milliseconds) could share the stamp; the next reload
        /// re-reads it to be sure.
        var needsVerification: Bool
    }

    public nonisolated let directory: URL
    public nonisolated let configuration: RetrievalConfiguration
    private let embedder: (any TextEmbedder)?
    private let preparer: EntryPreparer
    let logger: Logger
    private let snapshot: Mutex<FAQIndex>
    var files: [String: FileRecord] = [:]
    private var vocabulary = TermVocabulary()

    /// Every file that failed to load at the last reload (each keeps its last good version).
    public private(set) var lastErrors: [ContentError] = []

    /// Called after each published step of a large file (`RetrievalConfiguration.indexingStep`).
    let onIndexingStep: @Sendable (IndexingProgress) -> Void

    /// Creates the knowledge base with an empty index; call `reload()` (or `run()`) to load it.
    /// With an embedder, embeddings are cached under `configuration.cacheDirectory` (or in memory).
    /// `onIndexingStep` hears of each step of a large file's indexing, once it is published.
    public init(
        directory: URL, embedder: (any TextEmbedder)?, configuration: RetrievalConfiguration, logger: Logger,
        onIndexingStep: @escaping @Sendable (IndexingProgress) -> Void = { _ in }
    ) {
        self.onIndexingStep = onIndexingStep
        self.directory = directory
        self.configuration = configuration
        self.embedder = embedder
        self.logger = logger
        let cache = embedder.map { _ in EmbeddingCache(directory: configuration.cacheDirectory, logger: logger) }
        self.preparer = EntryPreparer(configuration: configuration, embedder: embedder, cache: cache)
        self.snapshot = Mutex(FAQIndex.empty(configuration: configuration))
    }

    /// The latest published index. Never blocks on a reload: the lock only guards a reference.
    public nonisolated var current: FAQIndex {
        snapshot.withLock { $0 }
    }

    /// Watches the folder until the task is cancelled, reloading after each settled burst of
    /// changes (inotify with a polling fallback, debounced), and once when watching starts.
    public func run() async throws {
        let watcher = DirectoryWatcher(
            directory: directory,
            configuration: .init(
                debounce: configuration.debounce, pollInterval: configuration.pollInterval,
                forcePolling: configuration.forcePolling, writeTimeout: configuration.writeTimeout),
            logger: logger, accept: { !FAQLoader.isIgnored(fileName: $0) })
        await watcher.run { [weak self] in _ = await self?.reload() }
        try Task.checkCancellation()
    }

    /// Brings the index up to date with the folder and publishes it if anything changed. Files
    /// with more entries than `indexingStep` are indexed last and published step by step, with
    /// other files' changes picked up between steps.
    @discardableResult
    public func reload() async -> ReloadReport {
        let start = ContinuousClock.now
        var refresh = self.refresh(excluding: [])
        for file in refresh.large {
            await indexInSteps(file)
            refresh.swapped = true
        }
        return finish(refresh, start: start)
    }

    /// A file read and parsed by a reload, not yet indexed.
    struct ParsedFile {
        var path: String
        var stamp: DirectoryWatcher.FileStamp
        var hash: ContentHash
        var entries: [FAQEntry]
    }

    /// What `refresh` did: counts for the report, and the large files left to index in steps.
    struct Refresh {
        var changedFiles = 0
        var swapped = false
        var large: [ParsedFile] = []
        var scanError: ContentError?
    }

    /// Scans the folder and applies every change except to the files in `indexing` (a large file
    /// an outer reload is indexing in steps): deletions, failures, and the new versions of files
    /// of up to `indexingStep` entries, published at once. Larger files are returned, parsed.
    func refresh(excluding indexing: Set<String>) -> Refresh {
        var refresh = Refresh()
        let stamps: [String: DirectoryWatcher.FileStamp]
        do {
            stamps = try DirectoryWatcher.scan(directory, accepting: { !FAQLoader.isIgnored(fileName: $0) })
        } catch {
            refresh.scanError = error
            return refresh
        }
        for path in files.keys where stamps[path] == nil && !indexing.contains(path) {
            files[path] = nil
            refresh.changedFiles += 1
            refresh.swapped = true
        }
        var parsed: [ParsedFile] = []
        for (path, stamp) in stamps.sorted(by: { $0.key < $1.key }) where !indexing.contains(path) {
            if let record = files[path], record.stamp == stamp, !record.needsVerification { continue }
            switch read(path, stamp: stamp) {
            case .failure(let error):
                refresh.changedFiles += files[path]?.error == error ? 0 : 1
                keepLastGood(path, stamp: stamp, hash: files[path]?.hash ?? ContentHash(""), error: error)
            case .success(let data):
                let hash = ContentHash(data)
                if var record = files[path], record.hash == hash {
                    record.stamp = stamp
                    record.needsVerification = Self.isRecent(stamp)
                    files[path] = record
                    continue
                }
                refresh.changedFiles += 1
                do {
                    parsed.append(ParsedFile(path: path, stamp: stamp, hash: hash, entries: try FAQParser.parse(data, path: path)))
                } catch {
                    keepLastGood(path, stamp: stamp, hash: hash, error: error)
                }
            }
        }
        let step = max(1, configuration.indexingStep)
        refresh.large = parsed.filter { $0.entries.count > step }
        parsed.removeAll { $0.entries.count > step }
        if !parsed.isEmpty {
            refresh.swapped = true
            var prepared = preparer.prepare(parsed.flatMap(\.entries), vocabulary: &vocabulary)[...]
            for file in parsed {
                let entries = Array(prepared.prefix(file.entries.count))
                prepared = prepared.dropFirst(file.entries.count)
                files[file.path] = FileRecord(
                    stamp: file.stamp, hash: file.hash, prepared: entries, error: nil,
                    needsVerification: Self.isRecent(file.stamp))
            }
        }
        if refresh.swapped { publish() }
        return refresh
    }

    /// The report of a reload (logged): entries and files served, errors kept.
    func finish(_ refresh: Refresh, start: ContinuousClock.Instant) -> ReloadReport {
        if let error = refresh.scanError {
            lastErrors = [error]
            logger.error("faq.reload.failed", metadata: ["error": "\(error)"])
            return ReloadReport(
                entries: current.count, files: files.count, filesChanged: 0, errors: [error], swapped: false,
                duration: ContinuousClock.now - start)
        }
        lastErrors = files.keys.sorted().compactMap { files[$0]?.error }
        let report = ReloadReport(
            entries: current.count, files: files.count, filesChanged: refresh.changedFiles, errors: lastErrors,
            swapped: refresh.swapped, duration: ContinuousClock.now - start)
        log(report)
        return report
    }

    // MARK: Internals

    /// Builds an index of every file's last good entries, in path order, and swaps it in.
    func publish() {
        let prepared = files.keys.sorted().flatMap { files[$0]?.prepared ?? [] }
        let index = FAQIndex(prepared: prepared, vocabulary: vocabulary, embedder: embedder, configuration: configuration)
        snapshot.withLock { $0 = index }
    }

    /// Analyzes and embeds `entries` with the knowledge base's vocabulary.
    func prepare(_ entries: [FAQEntry]) -> [PreparedEntry] {
        preparer.prepare(entries, vocabulary: &vocabulary)
    }

    /// Records a failure for `path` while keeping the entries of its last good version.
    private func keepLastGood(_ path: String, stamp: DirectoryWatcher.FileStamp, hash: ContentHash, error: ContentError) {
        files[path] = FileRecord(
            stamp: stamp, hash: hash, prepared: files[path]?.prepared ?? [], error: error,
            needsVerification: Self.isRecent(stamp))
    }

    /// The file's bytes, refusing files over the size cap unread and paths that now lead outside.
    private func read(_ path: String, stamp: DirectoryWatcher.FileStamp) -> Result<Data, ContentError> {
        let location = SourceLocation(file: "faqs/\(path)")
        let limit = configuration.maxFileSize
        guard stamp.size <= limit else {
            return .failure(
                ContentError(.tooLarge, at: location, "the file is \(stamp.size) bytes, over the limit of \(limit) bytes"))
        }
        let url = directory.appendingPathComponent(path)
        let root = directory.resolvingSymlinksInPath().path
        guard url.resolvingSymlinksInPath().path.hasPrefix(root + "/") else {
            return .failure(ContentError(.unreadable, at: location, "the path leads outside the folder"))
        }
        do {
            let data = try Data(contentsOf: url)
            guard data.count <= limit else {
                return .failure(
                    ContentError(.tooLarge, at: location, "the file is \(data.count) bytes, over the limit of \(limit) bytes"))
            }
            return .success(data)
        } catch {
            return .failure(ContentError(.unreadable, at: location, "the file cannot be read: \(error.localizedDescription)"))
        }
    }

    /// Whether a stamp is within 100 ms of now: file-system timestamps advance in coarse ticks, so
    /// a file read that recently may change again without a new stamp and is read again on the next
    /// refresh. A stamp more than a second in the future (the wall clock was set back after the
    /// write) is not recent: the next write gets an earlier, different stamp, so it is noticed.
    static func isRecent(_ stamp: DirectoryWatcher.FileStamp, now: Date = Date()) -> Bool {
        let age = Int64(now.timeIntervalSince1970 * 1_000_000_000) - stamp.modified
        return age > -1_000_000_000 && age < 100_000_000
    }

    private func log(_ report: ReloadReport) {
        let metadata: Logger.Metadata = [
            "faq.entries": "\(report.entries)", "faq.files": "\(report.files)",
            "faq.files_changed": "\(report.filesChanged)", "faq.errors": "\(report.errors.count)",
            "faq.duration_ms": "\(Self.milliseconds(report.duration))",
        ]
        if report.filesChanged > 0 || report.swapped {
            logger.info("faq.reloaded", metadata: metadata)
            for error in report.errors {
                logger.warning("faq.file.invalid", metadata: ["error": "\(error)"])
            }
        } else {
            logger.debug("faq.reloaded", metadata: metadata)
        }
    }

    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return String(format: "%.1f", Double(seconds) * 1000 + Double(attoseconds) / 1e15)
    }
}
