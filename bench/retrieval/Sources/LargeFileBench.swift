import Content
import Encoder
import Foundation
import Logging
import Retrieval
import Synchronization

/// `large-file`: with `KnowledgeBase.run()` watching a temporary folder and the real MiniLM encoder
/// (no embedding cache), a small file is served, then one large file of `--size` entries (default
/// 5,000) is written; while it indexes, the small file gains an entry with a unique marker every
/// `--change-every-ms` (default 2,000; entries already seen leave it, so it stays a few entries) and
/// each one's time until a search returns it is measured.
/// Records when the first and the last large-file entries are served and how many `faq.indexing`
/// progress lines were logged, for SupportBot's step-wise indexing (`indexingStep`, default 100)
/// and, in the same process, the whole-file indexing it replaced (`indexingStep = Int.max`; `--no-peer`
/// skips it). `--step N` measures another step size.
struct LargeFileBench {
    /// One indexing behaviour to measure.
    struct Mode {
        var label: String
        var indexingStep: Int
        /// Keeps the markers of different modes apart.
        var tag: String
    }

    /// What one mode measured.
    struct Outcome {
        var mode: Mode
        /// From starting the large file's write until its first entry is served.
        var firstVisible: Duration
        /// From starting the large file's write until all its entries are served.
        var allVisible: Duration
        /// Small changes made while the large file indexed: from starting each write until a
        /// search returned the new entry (a change that never showed counts as the timeout).
        var latencies: [Double]
        var timedOut: Int
        /// `faq.indexing` lines logged while the large file indexed.
        var progressLines: Int
        /// Load average (1 min) when the mode started.
        var load: String
        /// CPU time (user + system) of this process from the large file's write until it was served.
        var cpuSeconds: Double
    }

    /// A small-file change waiting to become visible.
    struct Change {
        var marker: String
        var embedding: [Float]
        var written: ContinuousClock.Instant
    }

    static let smallName = "small.json"
    static let largeName = "large.json"

    let arguments: BenchArguments

    func run() async throws {
        let repository = URL(fileURLWithPath: arguments.string("repository") ?? FileManager.default.currentDirectoryPath)
        guard let directory = arguments.url("encoder") else {
            throw BenchError("large-file needs --encoder DIR (models/minilm: scripts/fetch-encoder)")
        }
        var quiet = Logger(label: "bench")
        quiet.logLevel = .warning
        guard let encoder = EncoderLocator.load(directory: directory, logger: quiet) else {
            throw BenchError("no usable encoder in \(directory.path)")
        }
        let size = arguments.int("size", default: 5_000)
        let step = arguments.int("step", default: RetrievalConfiguration().indexingStep)
        let interval = Duration.milliseconds(arguments.int("change-every-ms", default: 2_000))
        let changeTimeout = Duration.seconds(arguments.int("change-timeout-s", default: 120))
        let work = arguments.url("work") ?? FileManager.default.temporaryDirectory

        let corpus = SyntheticCorpus(
            size: size, vocabulary: SyntheticCorpus.vocabulary(repository: repository), queryCount: 1, entriesPerFile: size)
        let encoderJSON = JSONEncoder()
        encoderJSON.outputFormatting = [.prettyPrinted, .sortedKeys]
        let large = try encoderJSON.encode(
            corpus.entries.map { SyntheticCorpus.FileItem(question: $0.question, answer: $0.answer, alternates: $0.alternates) })
        _ = encoder.embed(["Warm up the encoder before timing anything."])

        var modes = [Mode(label: "steps of \(step) (SupportBot)", indexingStep: step, tag: "s")]
        if !arguments.flag("no-peer") {
            modes.append(Mode(label: "whole file (before)", indexingStep: Int.max, tag: "w"))
        }
        var outcomes: [Outcome] = []
        for mode in modes {
            let folder = work.appendingPathComponent("large-file-\(mode.tag)-\(ProcessInfo.processInfo.processIdentifier)")
            outcomes.append(
                try await measure(
                    mode, large: large, size: size, encoder: encoder, folder: folder, interval: interval,
                    changeTimeout: changeTimeout))
        }
        report(outcomes, size: size, bytes: large.count, interval: interval, changeTimeout: changeTimeout)
    }

    // MARK: Measuring

    private func measure(
        _ mode: Mode, large: Data, size: Int, encoder: any TextEmbedder, folder: URL, interval: Duration,
        changeTimeout: Duration
    ) async throws -> Outcome {
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let load = Self.loadAverage()
        let counter = LogCounter()
        var logger = Logger(label: "bench.large-file", factory: { _ in CountingLogHandler(counter: counter) })
        logger.logLevel = .info
        var configuration = RetrievalConfiguration()
        configuration.indexingStep = mode.indexingStep
        configuration.cacheDirectory = nil
        configuration.maxFileSize = max(configuration.maxFileSize, large.count)
        let base = KnowledgeBase(directory: folder, embedder: encoder, configuration: configuration, logger: logger)
        let watching = Task { try await base.run() }
        defer { watching.cancel() }

        // 1. The small file, served.
        let faqs = [
            SyntheticCorpus.FileItem(
                question: "How do I reset my password?",
                answer: "Open Settings, choose Account, then Reset password; the link in the email is valid for an hour.",
                alternates: ["I forgot my password"]),
            SyntheticCorpus.FileItem(
                question: "Can I change my delivery address after ordering?",
                answer: "Yes, until the parcel ships: open the order and choose Change address.", alternates: []),
            SyntheticCorpus.FileItem(
                question: "Do you ship internationally?",
                answer: "We ship to the EU, the UK, Canada and the US; duties are shown at checkout.", alternates: []),
        ]
        var markers = [Self.marker(0, mode)]
        let first = Change(marker: markers[0], embedding: encoder.embed([markers[0]])[0], written: .now)
        try Self.write(try Self.encode(faqs, markers: markers), to: folder.appendingPathComponent(Self.smallName))
        while !Self.isVisible(first, in: base.current) {
            guard ContinuousClock.now - first.written < changeTimeout else { throw BenchError("the small file never showed") }
            try await Task.sleep(for: .milliseconds(10))
        }
        try await Task.sleep(for: .milliseconds(500))
        let linesBefore = counter.progressLines

        // 2. The large file; 3. small changes while it indexes.
        let start = ContinuousClock.now
        let cpuStart = Self.cpuSeconds()
        var cpuSeconds = 0.0
        try Self.write(large, to: folder.appendingPathComponent(Self.largeName))
        var firstVisible: Duration?
        var allVisible: Duration?
        var pending: [Change] = []
        var latencies: [Double] = []
        var timedOut = 0
        var nextChange = start + interval
        var number = 1
        while allVisible == nil || !pending.isEmpty {
            let index = base.current
            let now = ContinuousClock.now
            let served = index.entries.reduce(0) { $0 + ($1.file == Self.largeName ? 1 : 0) }
            if firstVisible == nil, served > 0 { firstVisible = now - start }
            if allVisible == nil, served == size {
                allVisible = now - start
                cpuSeconds = Self.cpuSeconds() - cpuStart
            }
            pending.removeAll { change in
                if Self.isVisible(change, in: index) {
                    latencies.append(Statistics.milliseconds(now - change.written))
                    return true
                }
                guard now - change.written > changeTimeout else { return false }
                timedOut += 1
                latencies.append(Statistics.milliseconds(changeTimeout))
                return true
            }
            if allVisible == nil, now >= nextChange {
                // Entries already seen leave the file, so it stays small (under any indexing step).
                let marker = Self.marker(number, mode)
                markers = pending.map(\.marker) + [marker]
                let data = try Self.encode(faqs, markers: markers)
                let embedding = encoder.embed([marker])[0]
                let written = ContinuousClock.now
                try Self.write(data, to: folder.appendingPathComponent(Self.smallName))
                pending.append(Change(marker: marker, embedding: embedding, written: written))
                number += 1
                nextChange = max(nextChange + interval, written + .milliseconds(100))
            }
            if allVisible == nil, now - start > .seconds(1_800) {
                throw BenchError("\(mode.label): \(served) of \(size) large-file entries served after 30 min")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        let expected = size + faqs.count + markers.count
        let settled = ContinuousClock.now
        while base.current.count != expected {
            guard ContinuousClock.now - settled < changeTimeout else {
                throw BenchError("\(mode.label): \(base.current.count) entries served, expected \(expected)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        watching.cancel()
        _ = try? await watching.value
        let line = "large-file: \(mode.label): \(size) entries served after \(allVisible ?? .zero); \(latencies.count) changes\n"
        FileHandle.standardError.write(Data(line.utf8))
        return Outcome(
            mode: mode, firstVisible: firstVisible ?? .zero, allVisible: allVisible ?? .zero, latencies: latencies,
            timedOut: timedOut, progressLines: counter.progressLines - linesBefore, load: load,
            cpuSeconds: cpuSeconds)
    }

    /// A word no other entry contains.
    private static func marker(_ number: Int, _ mode: Mode) -> String { "lf\(mode.tag)\(number)z" }

    /// Whether a search for the change's marker returns its entry (among the top 5).
    private static func isVisible(_ change: Change, in index: FAQIndex) -> Bool {
        index.search(change.marker, queryEmbedding: change.embedding, previousTurn: nil, tagHint: nil, limit: 5).hits
            .contains { $0.entry.question.contains(change.marker) }
    }

    /// The small file: its fixed entries and one entry per marker.
    private static func encode(_ faqs: [SyntheticCorpus.FileItem], markers: [String]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let entries = markers.map {
            SyntheticCorpus.FileItem(
                question: "Where is the \($0) parcel?",
                answer: "Parcel \($0) left the depot this morning and arrives tomorrow before noon.", alternates: [])
        }
        return try encoder.encode(faqs + entries)
    }

    /// Writes atomically: a temporary file the folder ignores, then a rename.
    private static func write(_ data: Data, to url: URL) throws {
        let temporary = url.appendingPathExtension("tmp")
        try data.write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else { throw BenchError("cannot rename \(temporary.path)") }
    }

    /// User and system CPU time of this process so far.
    private static func cpuSeconds() -> Double {
        var usage = rusage()
        #if os(Linux)
            getrusage(RUSAGE_SELF.rawValue, &usage)
        #else
            getrusage(RUSAGE_SELF, &usage)
        #endif
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    private static func loadAverage() -> String {
        let text = (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? ""
        return text.split(separator: " ").first.map(String.init) ?? "?"
    }

    // MARK: Report

    private func report(_ outcomes: [Outcome], size: Int, bytes: Int, interval: Duration, changeTimeout: Duration) {
        let date = ISO8601DateFormatter.string(
            from: Date(), timeZone: TimeZone(secondsFromGMT: 0) ?? .current, formatOptions: [.withFullDate])
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let loads = outcomes.map { "\($0.mode.label): load \($0.load), CPU \(String(format: "%.0f", $0.cpuSeconds)) s" }
            .joined(separator: "; ")
        let every = Self.grouped(Int(Statistics.milliseconds(interval)))
        let timeout = Self.grouped(Int(Statistics.milliseconds(changeTimeout) / 1000))
        let text = """
            # Large file: visibility while it indexes

            \(date), \(cores) cores, OpenBLAS \(MiniLMEncoder.blasCore) kernels, encoder on 1 thread. Load average (1 min) at
            the start of each mode, and this process's CPU time while the large file indexed: \(loads).

            `KnowledgeBase.run()` watches a temporary folder; real MiniLM encoder, no embedding cache. A small file of
            3 entries + 1 marker entry is served, then one JSON file of \(Self.grouped(size)) synthetic entries
            (SyntheticCorpus, \(Self.grouped(bytes / 1024)) KiB) is written (temp + rename). Every \(every) ms until the large
            file is fully served, the small file gains an entry with a unique marker (temp + rename; marker entries
            already seen leave it); visible = from starting that write until a search for the marker returns the entry
            (polled every 10 ms, timeout \(timeout) s). Large-file times are from starting its write. Both modes run in
            this process, one after the other.

            """
        print(text)
        print("| mode | first entries visible s | all visible s | small change visible p50 / max ms (n) | progress lines |")
        print("| --- | --- | --- | --- | --- |")
        for outcome in outcomes {
            let latencies = outcome.latencies
            let visible =
                latencies.isEmpty
                ? "— (0)"
                : "\(Self.grouped(Int(Statistics.percentile(latencies, 50).rounded()))) / "
                    + "\(Self.grouped(Int((latencies.max() ?? 0).rounded()))) (\(latencies.count)"
                    + (outcome.timedOut > 0 ? ", \(outcome.timedOut) timed out)" : ")")
            print(
                String(
                    format: "| %@ | %.2f | %.2f | %@ | %d |", outcome.mode.label,
                    Statistics.milliseconds(outcome.firstVisible) / 1000, Statistics.milliseconds(outcome.allVisible) / 1000,
                    visible, outcome.progressLines))
        }
        guard let ours = outcomes.first else { return }
        let worst = ours.latencies.max() ?? 0
        let met = !ours.latencies.isEmpty && worst <= 2_000 && ours.timedOut == 0
        print()
        print(
            "- \"Small change visible within 2 s while the large file indexes\" for SupportBot (\(ours.mode.indexingStep)-entry "
                + "steps; max ≤ 2,000 ms): " + (met ? "**met**" : "**missed**")
                + " (max \(Self.grouped(Int(worst.rounded()))) ms over \(ours.latencies.count) changes).")
        let steps = size == 0 ? 0 : (size - 1) / max(1, ours.mode.indexingStep) + 1
        print(
            "- Progress logged (`faq.indexing`): \(ours.progressLines) lines for \(steps) steps"
                + (ours.progressLines == steps ? "." : " (expected one per step).")
                + String(
                    format: " Mean step %.2f s (embedding %d entries, then republishing the index): a change written just "
                        + "after a step began waits about that long.",
                    Statistics.milliseconds(ours.allVisible) / 1000 / Double(max(steps, 1)),
                    min(size, ours.mode.indexingStep)))
        if let peer = outcomes.dropFirst().first {
            let (first, all) = (Statistics.milliseconds(ours.firstVisible), Statistics.milliseconds(ours.allVisible))
            let (peerFirst, peerAll) = (Statistics.milliseconds(peer.firstVisible), Statistics.milliseconds(peer.allVisible))
            print(
                String(
                    format: "- First entries served %.1f× sooner than with whole-file indexing; all served after %.1f s against "
                        + "%.1f s at once (%+.0f %%).", peerFirst / max(first, 1), all / 1000,
                    peerAll / 1000, (all / max(peerAll, 1) - 1) * 100))
        }
    }

    /// `12345` as `12,345`.
    private static func grouped(_ value: Int) -> String {
        let digits = Array(String(value.magnitude))
        var text = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0, (digits.count - offset) % 3 == 0 { text.append(",") }
            text.append(digit)
        }
        return value < 0 ? "-" + text : text
    }
}

/// Counts the knowledge base's `faq.indexing` progress lines, shared by every copy of the handler.
final class LogCounter: Sendable {
    private let lines = Mutex(0)

    var progressLines: Int { lines.withLock { $0 } }

    func record(_ message: String) {
        if message == "faq.indexing" { lines.withLock { $0 += 1 } }
    }
}

/// A log handler that counts progress lines instead of printing them; warnings and errors still
/// go to standard error.
struct CountingLogHandler: LogHandler {
    let counter: LogCounter
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        counter.record(event.message.description)
        if event.level >= .warning {
            FileHandle.standardError.write(Data("\(event.level): \(event.message) \(event.metadata ?? [:])\n".utf8))
        }
    }
}
