import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Tells when a content folder has changed and then stayed quiet, so the live `faqs/` folder can
/// be re-read without a restart. Uses inotify on Linux (every subfolder watched) and falls back to
/// polling file stamps elsewhere or when inotify is unavailable. On inotify a file still open for
/// writing (modified, not yet closed) holds the signal back until it is closed or has been idle
/// for `writeTimeout`, so a slow upload is read once, complete. Polling can only wait for stamps
/// to stop changing for `debounce`; writers should then write `name.part` and rename it.
public final class DirectoryWatcher: Sendable {
    /// Timing of the watcher; every field has a documented default.
    public struct Configuration: Sendable, Hashable {
        /// Quiet time after the last event before signalling. Default 200 ms.
        public var debounce: Duration
        /// Interval between scans when polling. Default 500 ms.
        public var pollInterval: Duration
        /// Poll even where inotify works (e.g. network file systems). Default false.
        public var forcePolling: Bool
        /// A file open for writing stops holding the signal back after this much silence. Default 30 s.
        public var writeTimeout: Duration

        public init(
            debounce: Duration = .milliseconds(200), pollInterval: Duration = .milliseconds(500),
            forcePolling: Bool = false, writeTimeout: Duration = .seconds(30)
        ) {
            self.debounce = debounce
            self.pollInterval = pollInterval
            self.forcePolling = forcePolling
            self.writeTimeout = writeTimeout
        }
    }

    /// How a file looked when scanned: a change in any field means "read it again".
    public struct FileStamp: Sendable, Hashable {
        public var size: Int64
        /// Modification time, nanoseconds since 1970.
        public var modified: Int64
        public var inode: UInt64
        public var device: UInt64
    }

    public let directory: URL
    public let configuration: Configuration
    /// Decides from a file name whether its changes matter (e.g. not `FAQLoader.isIgnored`).
    private let accept: @Sendable (String) -> Bool
    private let logger: Logger

    public init(
        directory: URL, configuration: Configuration = .init(), logger: Logger,
        accept: @escaping @Sendable (String) -> Bool = { _ in true }
    ) {
        self.directory = directory
        self.configuration = configuration
        self.logger = logger
        self.accept = accept
    }

    /// Watches until the calling task is cancelled, calling `onChange` once as soon as watching has
    /// started (so a change made between a caller's last load and the start is not missed) and
    /// then after each burst of changes has settled. Calls never overlap: changes made during a
    /// call lead to one more call after it.
    public func run(onChange: @escaping @Sendable () async -> Void) async {
        if !configuration.forcePolling {
            let (signals, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
            if let reader = InotifyReader(directory: directory, configuration: configuration, accept: accept, signal: continuation)
            {
                logger.debug("watcher.started", metadata: ["watcher.mode": "inotify", "watcher.path": "\(directory.path)"])
                await runInotify(reader, signals: signals, onChange: onChange)
                if !reader.lostRoot || Task.isCancelled { return }
                logger.warning("watcher.inotify_lost", metadata: ["watcher.path": "\(directory.path)"])
            }
        }
        logger.debug("watcher.started", metadata: ["watcher.mode": "polling", "watcher.path": "\(directory.path)"])
        await runPolling(onChange: onChange)
    }

    // MARK: Polling

    private func runPolling(onChange: @escaping @Sendable () async -> Void) async {
        var last = (try? Self.scan(directory, accepting: accept)) ?? [:]
        var lastChange: ContinuousClock.Instant?
        await onChange()
        while !Task.isCancelled {
            do { try await Task.sleep(for: configuration.pollInterval) } catch { return }
            let current = (try? Self.scan(directory, accepting: accept)) ?? [:]
            if current != last {
                last = current
                lastChange = .now
            } else if let changed = lastChange, ContinuousClock.now - changed >= configuration.debounce {
                lastChange = nil
                await onChange()
            }
        }
    }

    // MARK: inotify

    /// Runs the reader's thread until cancellation, or until the folder's own watch is lost.
    private func runInotify(
        _ reader: InotifyReader, signals: AsyncStream<Void>, onChange: @escaping @Sendable () async -> Void
    ) async {
        let thread = Thread { reader.run() }
        thread.name = "faq-watcher"
        thread.start()
        await withTaskCancellationHandler {
            for await _ in signals { await onChange() }
        } onCancel: {
            reader.stop()
        }
        reader.stop()
    }

    // MARK: Scanning

    /// Every accepted file under `directory` (subfolders included, hidden names and symlinks
    /// leading outside skipped), by path inside the folder, with its current stamp.
    public static func scan(
        _ directory: URL, displayName: String = "faqs", accepting accept: (String) -> Bool
    ) throws(ContentError) -> [String: FileStamp] {
        let listing = try ContentDirectory(root: directory, displayName: displayName).files(accepting: accept)
        var stamps: [String: FileStamp] = [:]
        for file in listing.files {
            if let stamp = stamp(of: file.url.path) { stamps[file.path] = stamp }
        }
        return stamps
    }

    /// The stamp of the file at `path` (symlinks followed), or nil when it cannot be read.
    public static func stamp(of path: String) -> FileStamp? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
            let modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
        #else
            let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
        #endif
        return FileStamp(size: Int64(info.st_size), modified: modified, inode: UInt64(info.st_ino), device: UInt64(info.st_dev))
    }
}

/// The inotify side of `DirectoryWatcher`: a dedicated thread reads events from one inotify
/// descriptor, keeps track of files still being written and yields a signal once things settle.
/// Its mutable state is only touched by that thread; the lock around it is never contended.
private final class InotifyReader: Sendable {
    private struct State {
        /// Watch descriptor → absolute folder path.
        var folders: [Int32: String] = [:]
        /// `wd/name` of files modified and not yet closed → time of their last modification.
        var writing: [String: ContinuousClock.Instant] = [:]
        /// Time of the last relevant event not yet signalled.
        var lastEvent: ContinuousClock.Instant?
    }

    #if os(Linux)
        private static let folderEvents = UInt32(
            IN_CREATE | IN_DELETE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_FROM | IN_MOVED_TO | IN_ATTRIB
                | IN_DELETE_SELF | IN_MOVE_SELF)
    #endif

    private let descriptor: Int32
    private let rootWatch: Int32
    private let configuration: DirectoryWatcher.Configuration
    private let accept: @Sendable (String) -> Bool
    private let signal: AsyncStream<Void>.Continuation
    private let state = Mutex(State())
    private let stopped = Atomic(false)
    private let rootLost = Atomic(false)

    /// Nil when inotify is unavailable or the folder cannot be watched.
    init?(
        directory: URL, configuration: DirectoryWatcher.Configuration, accept: @escaping @Sendable (String) -> Bool,
        signal: AsyncStream<Void>.Continuation
    ) {
        #if os(Linux)
            let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
            guard descriptor >= 0 else { return nil }
            let rootWatch = inotify_add_watch(descriptor, directory.path, Self.folderEvents | UInt32(IN_ONLYDIR))
            guard rootWatch >= 0 else {
                close(descriptor)
                return nil
            }
            self.descriptor = descriptor
            self.rootWatch = rootWatch
            self.configuration = configuration
            self.accept = accept
            self.signal = signal
            state.withLock { $0.folders[rootWatch] = directory.path }
            watchSubfolders(of: directory.path)
            // Signal once right away: watching has started.
            state.withLock { $0.lastEvent = .now - configuration.debounce }
        #else
            return nil
        #endif
    }

    var lostRoot: Bool { rootLost.load(ordering: .acquiring) }

    func stop() {
        stopped.store(true, ordering: .releasing)
    }

    /// The thread's loop: wait for events (at most 100 ms, to notice `stop`), handle them, and
    /// signal when the last event is `debounce` old and no file is still being written.
    func run() {
        #if os(Linux)
            defer {
                close(descriptor)
                signal.finish()
            }
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while !stopped.load(ordering: .acquiring) {
                var request = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
                _ = poll(&request, 1, 100)
                if request.revents & Int16(POLLIN) != 0 { drain(&buffer) }
                let now = ContinuousClock.now
                let ready = state.withLock { state -> Bool in
                    state.writing = state.writing.filter { now - $0.value < configuration.writeTimeout }
                    guard let last = state.lastEvent, now - last >= configuration.debounce, state.writing.isEmpty else {
                        return false
                    }
                    state.lastEvent = nil
                    return true
                }
                if ready { signal.yield(()) }
            }
        #endif
    }

    #if os(Linux)
        /// Reads every queued event.
        private func drain(_ buffer: inout [UInt8]) {
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                guard count > 0 else { return }
                var offset = 0
                while offset + 16 <= count {
                    let (watch, mask, nameLength) = buffer.withUnsafeBytes { raw in
                        (
                            raw.loadUnaligned(fromByteOffset: offset, as: Int32.self),
                            raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self),
                            Int(raw.loadUnaligned(fromByteOffset: offset + 12, as: UInt32.self))
                        )
                    }
                    let nameBytes = buffer[(offset + 16)..<min(count, offset + 16 + nameLength)].prefix { $0 != 0 }
                    handle(watch: watch, mask: mask, name: String(decoding: nameBytes, as: UTF8.self))
                    offset += 16 + nameLength
                }
            }
        }

        private func handle(watch: Int32, mask: UInt32, name: String) {
            let now = ContinuousClock.now
            if mask & UInt32(IN_Q_OVERFLOW) != 0 {
                state.withLock { $0.lastEvent = now }
                return
            }
            if mask & UInt32(IN_IGNORED | IN_DELETE_SELF | IN_MOVE_SELF) != 0 {
                state.withLock { state in
                    if mask & UInt32(IN_IGNORED) != 0 { state.folders[watch] = nil }
                    state.lastEvent = now
                }
                if watch == rootWatch {
                    rootLost.store(true, ordering: .releasing)
                    stop()
                }
                return
            }
            guard !name.isEmpty, !name.hasPrefix("."), let folder = state.withLock({ $0.folders[watch] }) else { return }
            if mask & UInt32(IN_ISDIR) != 0 {
                if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                    let path = folder + "/" + name
                    addWatch(path)
                    watchSubfolders(of: path)
                }
                state.withLock { $0.lastEvent = now }
                return
            }
            guard accept(name) else { return }
            let key = "\(watch)/\(name)"
            state.withLock { state in
                if mask & UInt32(IN_MODIFY) != 0 {
                    state.writing[key] = now
                }
                if mask & UInt32(IN_CLOSE_WRITE | IN_DELETE | IN_MOVED_FROM) != 0 {
                    state.writing[key] = nil
                }
                state.lastEvent = now
            }
        }

        private func addWatch(_ path: String) {
            let mask = Self.folderEvents | UInt32(IN_ONLYDIR) | UInt32(IN_DONT_FOLLOW)
            let watch = inotify_add_watch(descriptor, path, mask)
            if watch >= 0 { state.withLock { $0.folders[watch] = path } }
        }
    #endif

    /// Watches every non-hidden folder below `path`; symlinked folders are not followed (a link
    /// inside the folder leads to a folder that is watched already).
    private func watchSubfolders(of path: String) {
        #if os(Linux)
            var pending = [path]
            while let folder = pending.popLast() {
                guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
                for name in names where !name.hasPrefix(".") {
                    let child = folder + "/" + name
                    var info = stat()
                    guard lstat(child, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { continue }
                    addWatch(child)
                    pending.append(child)
                }
            }
        #endif
    }
}
